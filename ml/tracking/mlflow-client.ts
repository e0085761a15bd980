import { LakeError } from '../../core/index.js';
import { bytesSha256 } from '../../lake/index.js';
import { artifactUploadPath, encodeArtifactPath } from './mlflow-artifact-path.js';
import { planLogBatches } from './mlflow-batches.js';
import { resolveMlflowConnection, type MlflowConnection, type MlflowOptions } from './mlflow-connection.js';
import { ensureMlflowExperiment } from './mlflow-experiment.js';
import { callMlflow } from './mlflow-request.js';
import { findOrCreateMlflowRun, mlflowSystemTags } from './mlflow-run.js';
import type { ArtifactRef, MlRun } from './run-record.js';

export { MlflowError } from './mlflow-error.js';
export type { MlflowOptions } from './mlflow-connection.js';

export interface MirroredRun {
  experimentId: string;
  /** MLflow's run id (not gmp's). */
  runId: string;
  /** The run's page in the MLflow UI. */
  runUrl: string;
}

// Artifacts (a model can be megabytes) get longer than a JSON call.
const UPLOAD_TIMEOUT_FACTOR = 10;

/**
 * Logs `run` to the MLflow tracking server at `options.trackingUri` over its REST API: the experiment
 * by name, a run tagged `gmp.run_id` (found again, not duplicated, when mirrored twice), params,
 * tags and metric series in log-batch requests, every artifact through the server's artifact proxy,
 * then the status and end time. Throws MlflowError (one line, no credentials) when MLflow refuses
 * or cannot be reached, LakeError when an artifact read does not match its ref.
 */
export async function mirrorRunToMlflow(
  run: MlRun,
  readArtifact: (ref: ArtifactRef) => Promise<Uint8Array>,
  options: MlflowOptions,
): Promise<MirroredRun> {
  const connection = resolveMlflowConnection(options);
  const experimentId = await ensureMlflowExperiment(connection, run.experiment);
  const info = await findOrCreateMlflowRun(connection, experimentId, run);
  const runId = info.run_id;
  // Before logging anything: a server that cannot take the artifacts fails the mirroring up front.
  const uploadPath = run.artifacts.length > 0 ? artifactUploadPath(info.artifact_uri, connection.baseUrl) : '';
  const uploads = run.artifacts.map((ref) => ({ ref, path: `${uploadPath}/${encodeArtifactPath(ref.path)}` }));

  const tags = { ...run.tags, ...mlflowSystemTags(run), ...(run.error === null ? {} : { 'gmp.error': run.error }) };
  for (const batch of planLogBatches(run.params, tags, run.metrics)) {
    await callMlflow(connection, { method: 'POST', path: '/api/2.0/mlflow/runs/log-batch', json: { run_id: runId, ...batch } });
  }
  for (const { ref, path } of uploads) await uploadArtifact(connection, path, ref, await readArtifact(ref));

  await callMlflow(connection, {
    method: 'POST',
    path: '/api/2.0/mlflow/runs/update',
    json: { run_id: runId, run_name: run.name, status: run.status, ...(run.endTime === null ? {} : { end_time: run.endTime }) },
  });
  return { experimentId, runId, runUrl: `${connection.baseUrl}/#/experiments/${experimentId}/runs/${runId}` };
}

async function uploadArtifact(connection: MlflowConnection, path: string, ref: ArtifactRef, bytes: Uint8Array): Promise<void> {
  if (bytes.byteLength !== ref.bytes || bytesSha256(bytes) !== ref.sha256) {
    throw new LakeError(`artifact ${ref.path} (${ref.key}) read back ${bytes.byteLength} bytes that do not match its record (${ref.bytes} bytes, sha256 ${ref.sha256})`, {
      code: 'LAKE_CORRUPT',
      context: { key: ref.key },
    });
  }
  await callMlflow(connection, {
    method: 'PUT',
    path,
    bytes,
    timeoutMs: connection.timeoutMs * UPLOAD_TIMEOUT_FACTOR,
  });
}
