import { isPartitionKey } from '../../core/index.js';
import { bytesSha256, compactionOf, entityPrefix, fileSha256, parseLakeKey, readManifest, type ObjectStore } from '../../lake/index.js';
import { EVENTS_ENTITY, EVENTS_SOURCE, FAILED_EVENTS_ENTITY } from './commit-events.js';

export interface CompactedDayCheck {
  entity: string;
  day: string;
  key: string;
  ok: boolean;
  /** Why the file is damaged (missing, another size, another checksum). */
  problem?: string;
}

/**
 * Checks every compacted day's Parquet against the size and SHA-256 its manifest records (reading
 * each file once). Never throws for a damaged file: it is reported, so every one is named.
 */
export async function verifyCompactedDays(store: ObjectStore, options: { signal?: AbortSignal; onFile?: (check: CompactedDayCheck) => void } = {}): Promise<CompactedDayCheck[]> {
  const opts = options.signal ? { signal: options.signal } : {};
  const checks: CompactedDayCheck[] = [];
  for (const entity of [EVENTS_ENTITY, FAILED_EVENTS_ENTITY]) {
    const days: string[] = [];
    for await (const { key } of store.list(entityPrefix(EVENTS_SOURCE, entity), opts)) {
      const parts = parseLakeKey(key);
      if (parts?.kind === 'manifest' && isPartitionKey(parts.dt)) days.push(parts.dt);
    }
    for (const day of days) {
      const manifest = await readManifest(store, EVENTS_SOURCE, entity, day, opts);
      if (manifest === undefined || compactionOf(manifest) === undefined) continue;
      for (const file of manifest.files) {
        const check: CompactedDayCheck = { entity, day, key: file.key, ok: true };
        const problem = await problemOf(store, file, options.signal);
        if (problem !== undefined) Object.assign(check, { ok: false, problem });
        checks.push(check);
        options.onFile?.(check);
      }
    }
  }
  return checks;
}

async function problemOf(store: ObjectStore, file: { key: string; bytes: number; sha256?: string | undefined }, signal: AbortSignal | undefined): Promise<string | undefined> {
  const info = await store.head(file.key, signal ? { signal } : {});
  if (info === undefined) return 'the file is missing';
  if (info.size !== file.bytes) return `${info.size} bytes, the manifest says ${file.bytes}`;
  if (file.sha256 === undefined) return undefined;
  const actual = store.localPathFor !== undefined ? await fileSha256(store.localPathFor(file.key)) : bytesSha256(await store.get(file.key, signal ? { signal } : {}));
  return actual === file.sha256 ? undefined : 'its SHA-256 is not the one its manifest records';
}
