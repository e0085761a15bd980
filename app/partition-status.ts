import { DefinitionError, UsageError, dailyPartitions, dateToKey, unpartitioned, type PartitionKey, type PartitionsDefinition } from '../core/index.js';
import { INGESTION_SPECS, type StepStatus } from '../orchestration/index.js';
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
  /** Set when the models could not be loaded and the ranges come from another source. */
  note?: string;
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
  // Works on day numbers and a byte per day: 100,000 days take a few milliseconds.
  let first = dayNumber(start);
  let last = dayNumber(end);
  const days: [number, PartitionState][] = [];
  for (const [key, status] of recorded) {
    const d = dayNumber(key);
    if (d < first) first = d;
    if (d > last) last = d;
    days.push([d, status === 'succeeded' ? 'ok' : status === 'failed' ? 'failed' : 'missing']);
  }
  const CODES: PartitionState[] = ['missing', 'ok', 'failed'];
  const state = new Uint8Array(last - first + 1);
  for (const [d, s] of days) state[d - first] = CODES.indexOf(s);
  const ranges: PartitionRange[] = [];
  let runStart = 0;
  for (let i = 1; i <= state.length; i++) {
    if (i === state.length || state[i] !== state[runStart]) {
      ranges.push({ from: dayKey(first + runStart), to: dayKey(first + i - 1), status: CODES[state[runStart]!]!, count: i - runStart });
      runStart = i;
    }
  }
  return ranges;
}

const DAY_MS = 86_400_000;

function dayNumber(key: PartitionKey): number {
  return Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10))) / DAY_MS;
}

function dayKey(day: number): PartitionKey {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `2015-01-01..2024-12-31 ok (3653), 2025-01-02 failed`. */
export function formatPartitionRanges(ranges: readonly PartitionRange[]): string {
  return ranges
    .map((r) => `${r.from === r.to ? r.from : `${r.from}..${r.to}`} ${r.status}${r.count > 1 ? ` (${r.count})` : ''}`)
    .join(', ');
}

/** The materialized, failed and missing partitions of `asset` as compact ranges. */
export async function partitionStatus(ws: Workspace, asset: string): Promise<PartitionStatusReport> {
  const rows = stateExists(ws) ? await readLatest(ws, asset) : [];
  const { def, note } = partitionsOf(ws, asset, rows);
  if (def.type !== 'daily') {
    const status = rows.find((r) => r.partition === null)?.status;
    const state: PartitionState = status === 'succeeded' ? 'ok' : status === 'failed' ? 'failed' : 'missing';
    const counts = { ok: 0, failed: 0, missing: 0, [state]: 1 };
    return { asset, partitioned: false, ranges: [{ from: '-', to: '-', status: state, count: 1 }], counts, ...(note ? { note } : {}) };
  }
  const recorded = new Map<PartitionKey, StepStatus>();
  for (const r of rows) if (r.partition !== null) recorded.set(r.partition, r.status);
  const today = dateToKey(ws.clock.now());
  const end = def.end !== undefined && def.end < today ? def.end : today;
  const ranges = compactPartitionRanges(recorded, def.start, end);
  const counts = { ok: 0, failed: 0, missing: 0 };
  for (const r of ranges) counts[r.status] += r.count;
  return { asset, partitioned: true, ranges, counts, ...(note ? { note } : {}) };
}

/**
 * The asset's partitions definition from the graph; while the models do not load, an ingestion
 * asset's from its endpoint, any other's from what runs recorded (and a note saying so).
 */
function partitionsOf(ws: Workspace, asset: string, rows: readonly { partition: string | null }[]): { def: PartitionsDefinition; note?: string } {
  try {
    if (!ws.graph.assets.has(asset)) {
      throw new UsageError(`unknown asset "${asset}"`, { code: 'NOT_FOUND', hint: 'list assets with `gmp assets`' });
    }
    return { def: ws.graph.get(asset).partitions };
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    const spec = INGESTION_SPECS.get(asset);
    if (spec !== undefined) {
      const start = 'parent' in spec ? INGESTION_SPECS.get(`${spec.source}/${spec.parent.entity}`) : spec;
      const daily = start !== undefined && !('parent' in start) && start.partition.type === 'daily' ? start.partition.start : undefined;
      return { def: daily ? dailyPartitions(daily) : unpartitioned };
    }
    const keys = rows.map((r) => r.partition).filter((p): p is string => p !== null).sort();
    if (rows.length === 0) throw new UsageError(`"${asset}" is not an ingestion asset and has no recorded runs, and the models do not load`, { hint: 'fix the models first: `gmp compile` lists every problem' });
    return {
      def: keys.length > 0 ? dailyPartitions(keys[0]!) : unpartitioned,
      note: `the models have ${error.problems.length} definition problem(s) (\`gmp compile\` lists them): partitions shown as recorded by past runs`,
    };
  }
}

async function readLatest(ws: Workspace, asset: string) {
  const state = await openStateStore(ws);
  try {
    return await state.latestByPartition(asset);
  } finally {
    await state.close();
  }
}
