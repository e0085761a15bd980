import type { PartitionKey } from '../core/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

/** Partitions recorded as succeeded for each of `assets` (empty when no state exists yet). */
export async function succeededPartitions(
  ws: Workspace,
  assets: readonly string[],
): Promise<(asset: string) => ReadonlySet<PartitionKey | null>> {
  const byAsset = new Map<string, Set<PartitionKey | null>>();
  if (stateExists(ws)) {
    const state = await openStateStore(ws);
    try {
      for (const asset of assets) {
        const rows = await state.latestByPartition(asset);
        byAsset.set(asset, new Set(rows.filter((r) => r.status === 'succeeded').map((r) => r.partition)));
      }
    } finally {
      await state.close();
    }
  }
  return (asset) => byAsset.get(asset) ?? new Set();
}
