import { addDays, dateToKey, UsageError, type PartitionKey } from '../../core/index.js';
import type { StepStatus } from '../state/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export type PartitionState = 'ok' | 'failed' | 'missing';

export interface PartitionRange {
  from: string;
  to: string;
  status: PartitionState;
  count: number;
}

export interface PartitionStatusReport {
  asset: string;
  partitioned: boolean;
  ranges: PartitionRange[];
  counts: Record<PartitionState, number>;
}

/**
 * Run-length encodes daily partitions from `start` to `end` (and any recorded outside) into
 * ranges of the same state. Pure; linear in the number of days.
 */
export function compactPartitionRanges(
  recorded: ReadonlyMap<PartitionKey, StepStatus>,
  start: PartitionKey,
  end: PartitionKey,
): PartitionRange[] {
  let first = start;
  let last = end;
  for (const key of recorded.keys()) {
    if (key < first) first = key;
    if (key > last) last = key;
  }
  const ranges: PartitionRange[] = [];
  let current: PartitionRange | undefined;
  for (let key = first; key <= last; key = addDays(key, 1)) {
    const s = recorded.get(key);
    const status: PartitionState = s === 'succeeded' ? 'ok' : s === 'failed' ? 'failed' : 'missing';
    if (current !== undefined && current.status === status) {
      current.to = key;
      current.count++;
    } else {
      current = { from: key, to: key, status, count: 1 };
      ranges.push(current);
    }
  }
  return ranges;
}

/** `2015-01-01..2024-12-31 ok (3653), 2025-01-02 failed`. */
export function formatPartitionRanges(ranges: readonly PartitionRange[]): string {
  return ranges
    .map((r) => `${r.from === r.to ? r.from : `${r.from}..${r.to}`} ${r.status}${r.count > 1 ? ` (${r.count})` : ''}`)
    .join(', ');
}

/** The materialized, failed and missing partitions of `asset` as compact ranges. */
export async function partitionStatus(ws: Workspace, asset: string): Promise<PartitionStatusReport> {
  if (!ws.graph.assets.has(asset)) {
    throw new UsageError(`unknown asset "${asset}"`, { code: 'SELECTION_INVALID', hint: 'list assets with `gmp assets`' });
  }
  const def = ws.graph.get(asset).partitions;
  const rows = stateExists(ws) ? await readLatest(ws, asset) : [];
  if (def.type !== 'daily') {
    const status = rows.find((r) => r.partition === null)?.status;
    const state: PartitionState = status === 'succeeded' ? 'ok' : status === 'failed' ? 'failed' : 'missing';
    const counts = { ok: 0, failed: 0, missing: 0, [state]: 1 };
    return { asset, partitioned: false, ranges: [{ from: '-', to: '-', status: state, count: 1 }], counts };
  }
  const recorded = new Map<PartitionKey, StepStatus>();
  for (const r of rows) if (r.partition !== null) recorded.set(r.partition, r.status);
  const today = dateToKey(ws.clock.now());
  const end = def.end !== undefined && def.end < today ? def.end : today;
  const ranges = compactPartitionRanges(recorded, def.start, end);
  const counts = { ok: 0, failed: 0, missing: 0 };
  for (const r of ranges) counts[r.status] += r.count;
  return { asset, partitioned: true, ranges, counts };
}

async function readLatest(ws: Workspace, asset: string) {
  const state = await openStateStore(ws);
  try {
    return await state.latestByPartition(asset);
  } finally {
    await state.close();
  }
}
