import { UsageError, dateToKey, isHourKey, resolvePartitionKey } from '../core/index.js';
import { createObjectStore, readManifest, recacheFile, verifyLake, type LakeFileCheck, type ObjectStore } from '../lake/index.js';
import { INGESTION_SPECS, type RunProgressEvent, type RunStatus, type WarehouseWaitNotice } from '../orchestration/index.js';
import { lakeEntity, mirrorOf } from './lake-verify.js';
import { materialize } from './materialize.js';
import type { Workspace } from './workspace.js';

export interface LakeRepairInput {
  /** The lake dataset (`rawg/games`). */
  asset: string;
  /** The partition to repair: a day or an hour (`today`, `yesterday` too). */
  partition: string;
  signal?: AbortSignal;
  onProgress?: (event: RunProgressEvent) => void;
  onWarehouseWait?: (notice: WarehouseWaitNotice) => void;
}

export interface LakeRepairReport {
  /** The lake, as `describe()` names it (no credentials). */
  lake: string;
  asset: string;
  partition: string;
  /** What was damaged before the repair. */
  found: LakeFileCheck[];
  /** Keys whose damaged cached copy was downloaded again from the lake. */
  recached: string[];
  /** The run that fetched the partition again (when a lake file or its manifest was damaged). */
  run?: { runId: string; status: RunStatus; durationMs: number; error?: string };
  /** Why the lake's damaged files cannot be rewritten by gmp, when they cannot. */
  unrepairable?: string;
  /** Still damaged after the repair: empty when it worked. */
  remaining: LakeFileCheck[];
}

/**
 * Repairs one partition of a lake dataset: a damaged cached copy of a remote lake's file is
 * downloaded again; a damaged lake file (or manifest) of a fetched dataset is fetched again by a
 * run of its ingestion asset for that partition (a new run folder, the manifest swapped: the
 * usual exactly-once commit). Then checks the partition again. Throws UsageError for a dataset or
 * partition that does not exist, ConfigError when the API key a fetch needs is missing.
 */
export async function repairLakePartition(ws: Workspace, input: LakeRepairInput): Promise<LakeRepairReport> {
  const entity = lakeEntity(input.asset);
  const partition = resolvePartitionKey(input.partition, ws.clock.now());
  const store = await createObjectStore(ws.config.lake);
  const mirror = mirrorOf(ws, store);
  const check = () =>
    verifyLake(store, { source: entity.source, entity: entity.entity, partition, ...mirror, ...(input.signal ? { signal: input.signal } : {}) }).then((checks) =>
      checks.filter((c) => !c.ok),
    );
  const report: LakeRepairReport = { lake: store.describe(), asset: input.asset, partition, found: await check(), recached: [], remaining: [] };
  if (report.found.length === 0) return report;

  const lakeDamaged = report.found.filter((c) => c.copy !== 'cache');
  const damagedKeys = new Set(lakeDamaged.map((c) => c.key));
  for (const copy of report.found.filter((c) => c.copy === 'cache' && !damagedKeys.has(c.key))) {
    report.recached.push(await recache(store, copy, mirror.cacheDir!, input.signal));
  }
  if (lakeDamaged.length > 0) {
    const refetch = refetchRequest(ws, input.asset, partition);
    if (typeof refetch === 'string') report.unrepairable = refetch;
    else {
      const run = await materialize(ws, { select: input.asset, ...refetch, kind: 'repair' }, {
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.onWarehouseWait ? { onWarehouseWait: input.onWarehouseWait } : {}),
      });
      const error = run.steps.find((s) => s.error !== undefined)?.error?.message;
      report.run = { runId: run.runId, status: run.status, durationMs: run.durationMs, ...(error ? { error } : {}) };
    }
  }
  report.remaining = await check();
  return report;
}

/** Downloads a damaged cached copy again (verified against the manifest that names it). */
async function recache(store: ObjectStore, copy: LakeFileCheck, cacheDir: string, signal: AbortSignal | undefined): Promise<string> {
  const [source = '', entity = ''] = copy.asset.split('/');
  const manifest = await readManifest(store, source, entity, copy.partition, signal ? { signal } : {});
  const file = manifest && [...manifest.files, ...manifest.invalid_files].find((f) => f.key === copy.key);
  // No longer committed: the mirror drops the copy on its next refresh.
  if (file !== undefined) await recacheFile(store, file, cacheDir, signal);
  return copy.key;
}

/**
 * How a run fetches the partition again: the asset's own partition, or nothing for a snapshot
 * fetched today; otherwise why it cannot (what gmp did not fetch, or an older snapshot).
 */
function refetchRequest(ws: Workspace, asset: string, partition: string): { partition?: string } | string {
  if (!INGESTION_SPECS.has(asset)) {
    return `${asset} is not fetched by gmp (it is pushed or derived), so its files cannot be fetched again: restore each damaged file from a backup (on S3, an earlier version of the object), then run \`gmp lake verify --asset ${asset}\``;
  }
  const partitions = ws.graph.get(asset).partitions;
  if (partitions.type === 'daily' && !isHourKey(partition)) return { partition };
  const today = dateToKey(ws.clock.now());
  if (partitions.type === 'unpartitioned' && partition === today) return {};
  if (partitions.type === 'unpartitioned') {
    return `${asset} is a snapshot kept under the day it was fetched; the one of ${partition} cannot be fetched again: restore its damaged files from a backup (\`gmp materialize --select ${asset}\` fetches today's)`;
  }
  throw new UsageError(`${asset} has no partition ${partition}`, { code: 'PARTITION_INVALID' });
}
