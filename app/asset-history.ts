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
  /** Its tests as the models' yml declare them (models only). */
  tests: { name: string; column: string | undefined; severity: 'error' | 'warn'; description: string }[];
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
  if (!stateExists(ws)) return { asset, reads, readBy, partitions, history: [], checks: [], tests };
  const state = await openStateStore(ws);
  try {
    const [history, checks] = await Promise.all([state.listMaterializations({ asset: key }), state.latestCheckResults(key)]);
    return { asset, reads, readBy, partitions, history: history.slice(-(options.limit ?? 200)).reverse(), checks, tests };
  } finally {
    await state.close();
  }
}
