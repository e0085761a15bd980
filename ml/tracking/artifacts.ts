import { bytesSha256, type ObjectStore } from '../../lake/index.js';
import type { ArtifactRef } from './run-record.js';

/** Where a run's artifacts live in the lake: `ml/runs/<run id>/<path>`. */
export function artifactKey(runId: string, path: string): string {
  return `ml/runs/${runId}/${path}`;
}

/** Writes one artifact of a run; the returned reference goes into the run record. */
export async function putArtifact(lake: ObjectStore, runId: string, path: string, content: string | Uint8Array, signal?: AbortSignal): Promise<ArtifactRef> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const key = artifactKey(runId, path);
  await lake.put(key, bytes, signal ? { signal } : {});
  return { path, key, bytes: bytes.byteLength, sha256: bytesSha256(bytes) };
}

/** Reads an artifact back as text. */
export async function readArtifactText(lake: ObjectStore, runId: string, path: string, signal?: AbortSignal): Promise<string> {
  return new TextDecoder().decode(await lake.get(artifactKey(runId, path), signal ? { signal } : {}));
}

/** Reads a stored artifact by its reference (e.g. to mirror it to MLflow). */
export async function readArtifactBytes(lake: ObjectStore, ref: ArtifactRef, signal?: AbortSignal): Promise<Uint8Array> {
  return lake.get(ref.key, signal ? { signal } : {});
}
