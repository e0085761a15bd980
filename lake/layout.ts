import { LakeError, isHourKey, isPartitionKey } from '../core/index.js';

/**
 * The lake's path layout, the one place that spells keys:
 *   raw/<source>/<entity>/dt=<YYYY-MM-DD>/run=<runId>/part-<nnnnn>.jsonl.gz
 *   raw/<source>/<entity>/dt=<YYYY-MM-DD>/run=<runId>/invalid-<nnnnn>.jsonl.gz
 *   raw/<source>/<entity>/dt=<YYYY-MM-DD>/_manifest.json
 * An hourly partition's `dt` is its hour, `YYYY-MM-DDTHH` (events, committed by the collector).
 */
const NAME = /^[a-z0-9_]+$/;
const RUN_ID = /^[A-Za-z0-9_-]+$/;
const MANIFEST_FILE = '_manifest.json';
const KEY_SHAPE =
  /^raw\/([a-z0-9_]+)\/([a-z0-9_]+)\/dt=(\d{4}-\d{2}-\d{2}(?:T\d{2})?)\/(?:(_manifest\.json)|run=([A-Za-z0-9_-]+)\/([^/]+))$/;

/** A key of the layout, split into its parts. */
export type LakeKeyParts =
  | { kind: 'manifest'; source: string; entity: string; dt: string }
  | { kind: 'run-file'; source: string; entity: string; dt: string; runId: string; file: string };

/** Throws a non-retryable LakeError unless `source` and `entity` match `^[a-z0-9_]+$`. */
export function assertEntityNames(source: string, entity: string): void {
  for (const [what, value] of [
    ['source', source],
    ['entity', entity],
  ] as const) {
    if (!NAME.test(value)) {
      throw layoutError(`invalid lake ${what} ${JSON.stringify(value)}: expected lowercase letters, digits or _`);
    }
  }
}

/** Throws a non-retryable LakeError unless `dt` is a real calendar day (YYYY-MM-DD) or hour (YYYY-MM-DDTHH). */
export function assertDt(dt: string): void {
  if (!isPartitionKey(dt) && !isHourKey(dt)) throw layoutError(`invalid lake partition dt=${JSON.stringify(dt)}: expected a real YYYY-MM-DD day or YYYY-MM-DDTHH hour`);
}

/** Throws a non-retryable LakeError unless `runId` matches `^[A-Za-z0-9_-]+$`. */
export function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw layoutError(`invalid lake run id ${JSON.stringify(runId)}: expected letters, digits, _ or -`);
  }
}

/** `raw/<source>/<entity>/` — everything of one entity. */
export function entityPrefix(source: string, entity: string): string {
  assertEntityNames(source, entity);
  return `raw/${source}/${entity}/`;
}

/** `raw/<source>/<entity>/dt=<dt>/` — every run and the manifest of one partition. */
export function partitionPrefix(source: string, entity: string, dt: string): string {
  assertDt(dt);
  return `${entityPrefix(source, entity)}dt=${dt}/`;
}

/** `raw/<source>/<entity>/dt=<dt>/run=<runId>/` — the immutable folder of one run. */
export function runPrefix(source: string, entity: string, dt: string, runId: string): string {
  assertRunId(runId);
  return `${partitionPrefix(source, entity, dt)}run=${runId}/`;
}

/** Key of data file `index` (0-based) of a run. */
export function partFileKey(source: string, entity: string, dt: string, runId: string, index: number): string {
  return `${runPrefix(source, entity, dt, runId)}part-${fileNumber(index)}.jsonl.gz`;
}

/** Key of invalid-record file `index` (0-based) of a run. */
export function invalidFileKey(source: string, entity: string, dt: string, runId: string, index: number): string {
  return `${runPrefix(source, entity, dt, runId)}invalid-${fileNumber(index)}.jsonl.gz`;
}

/** Key of a partition's manifest, the commit point. */
export function manifestKey(source: string, entity: string, dt: string): string {
  return `${partitionPrefix(source, entity, dt)}${MANIFEST_FILE}`;
}

/** Splits a layout key into its parts, or undefined when `key` is not a manifest or run file. */
export function parseLakeKey(key: string): LakeKeyParts | undefined {
  const m = KEY_SHAPE.exec(key);
  if (m === null) return undefined;
  const [, source = '', entity = '', dt = '', manifest, runId, file] = m;
  if (!isPartitionKey(dt) && !isHourKey(dt)) return undefined;
  if (manifest !== undefined) return { kind: 'manifest', source, entity, dt };
  return { kind: 'run-file', source, entity, dt, runId: runId ?? '', file: file ?? '' };
}

function fileNumber(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw layoutError(`invalid lake file index ${index}`);
  return String(index).padStart(5, '0');
}

function layoutError(message: string): LakeError {
  return new LakeError(message, { retryable: false, context: { layout: true } });
}
