import { decodeCursor, encodeCursor } from './cursor.js';
import type { CheckResultRecord, MaterializationRecord } from '../orchestration/index.js';
import { getAsset } from './asset-queries.js';
import { partitionStatus, type PartitionStatusReport } from './partition-status.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface AssetOverview {
  asset: ReturnType<typeof getAsset>;
  /** What it reads and what reads it, checks aside (they have their own section). */
  reads: string[];
  readBy: string[];
  partitions: PartitionStatusReport;
  /** The newest materializations first, at most `limit` (rows, requests, duration, status). */
  history: MaterializationRecord[];
  /** The latest result of each of its checks, per partition. */
  checks: CheckResultRecord[];
  /** Every result of its checks, newest first (at most `limit`). */
  checkHistory: CheckResultRecord[];
  /** Its tests as the models' yml declare them (models only). */
  tests: { name: string; column: string | undefined; severity: 'error' | 'warn'; description: string }[];
}

/** Every result of an asset's checks, newest first, cursor-paged; NOT_FOUND for an unknown key. */
export async function pageCheckResults(ws: Workspace, key: string, query: { limit: number; cursor?: string }): Promise<{ results: (CheckResultRecord & { id: number })[]; next: string | null }> {
  getAsset(ws, key);
  if (!stateExists(ws)) return { results: [], next: null };
  const before =
    query.cursor === undefined
      ? undefined
      : decodeCursor(query.cursor, (v) => (Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]) ? { at: v[0], id: v[1] as number } : undefined));
  const state = await openStateStore(ws);
  try {
    const rows = await state.listCheckResults(key, { limit: query.limit + 1, ...(before !== undefined ? { before } : {}) });
    const results = rows.slice(0, query.limit);
    const last = results.at(-1);
    return { results, next: rows.length > query.limit && last ? encodeCursor([last.at, last.id]) : null };
  } finally {
    await state.close();
  }
}

/** Everything the asset page shows, in one read of the state: NOT_FOUND for an unknown key. */
export async function assetOverview(ws: Workspace, key: string, options: { limit?: number } = {}): Promise<AssetOverview> {
  const asset = getAsset(ws, key);
  const partitions = await partitionStatus(ws, key);
  const model = ws.project.models.find((m) => `${m.schema}/${m.name}` === key);
  const notCheck = (k: string) => ws.graph.get(k).kind !== 'check';
  const reads = asset.deps.filter(notCheck);
  const readBy = asset.downstream.filter(notCheck);
  const tests = model ? ws.project.tests.filter((t) => t.model === model.name).map((t) => ({ name: t.name, column: t.column, severity: t.severity, description: t.description })) : [];
  if (!stateExists(ws)) return { asset, reads, readBy, partitions, history: [], checks: [], checkHistory: [], tests };
  const state = await openStateStore(ws);
  try {
    const limit = options.limit ?? 200;
    const [history, checks, checkHistory] = await Promise.all([
      state.listMaterializations({ asset: key, limit, newestFirst: true }),
      state.latestCheckResults(key),
      state.listCheckResults(key, { limit }),
    ]);
    return { asset, reads, readBy, partitions, history, checks, checkHistory, tests };
  } finally {
    await state.close();
  }
}
