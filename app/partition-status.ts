import { DefinitionError, UsageError, dailyPartitions, hourlyPartitions, isHourKey, isTimePartitioned, lastPartition, unpartitioned, type PartitionKey, type PartitionsDefinition } from '../core/index.js';
import { INGESTION_SPECS, type StepStatus } from '../orchestration/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export type PartitionState = 'ok' | 'failed' | 'missing';

export interface PartitionRange {
  from: string;
  to: string;
  status: PartitionState;
  count: number;
}

/** Partition keys are days (`YYYY-MM-DD`) or UTC hours (`YYYY-MM-DDTHH`). */
export type PartitionGrain = 'day' | 'hour';

/** A day or a run of days of an hourly asset, with how many of their hours are in each state. */
export interface HoursByDay {
  from: PartitionKey;
  to: PartitionKey;
  ok: number;
  failed: number;
  missing: number;
}

export interface PartitionStatusReport {
  asset: string;
  partitioned: boolean;
  /** What the keys of `ranges` are (absent for an unpartitioned asset). */
  grain?: PartitionGrain;
  ranges: PartitionRange[];
  /** Hourly assets: the hours per day, runs of days alike merged (one row per day at most). */
  days?: HoursByDay[];
  counts: Record<PartitionState, number>;
  /** Set when the models could not be loaded and the ranges come from another source. */
  note?: string;
}

/**
 * Run-length encodes the daily (or, with grain `hour`, hourly) partitions from `start` to `end`
 * (and any recorded outside) into ranges of the same state. Pure; linear in the number of keys.
 */
export function compactPartitionRanges(
  recorded: ReadonlyMap<PartitionKey, StepStatus>,
  start: PartitionKey,
  end: PartitionKey,
  grain: PartitionGrain = 'day',
): PartitionRange[] {
  // Works on key numbers and a byte per key: 100,000 keys take a few milliseconds.
  const toNumber = grain === 'hour' ? hourNumber : dayNumber;
  const toKey = grain === 'hour' ? hourKey : dayKey;
  let first = toNumber(start);
  let last = toNumber(end);
  const days: [number, PartitionState][] = [];
  for (const [key, status] of recorded) {
    // A key of the other grain (recorded before the definition changed) has no place here.
    if (isHourKey(key) !== (grain === 'hour')) continue;
    const d = toNumber(key);
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
      ranges.push({ from: toKey(first + runStart), to: toKey(first + i - 1), status: CODES[state[runStart]!]!, count: i - runStart });
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

const HOUR_MS = 3_600_000;

function hourNumber(key: PartitionKey): number {
  return dayNumber(key) * 24 + Number(key.slice(11, 13));
}

function hourKey(hour: number): PartitionKey {
  return new Date(hour * HOUR_MS).toISOString().slice(0, 13);
}

/**
 * Groups hour ranges by UTC day: one row per day with its ok/failed/missing hours, and a run of
 * whole days in one state as a single row. Pure; linear in the ranges and days they span.
 */
export function hoursByDay(ranges: readonly PartitionRange[]): HoursByDay[] {
  const rows: HoursByDay[] = [];
  const add = (day: PartitionKey, status: PartitionState, hours: number): void => {
    let row = rows.at(-1);
    if (row?.to !== day) {
      row = { from: day, to: day, ok: 0, failed: 0, missing: 0 };
      rows.push(row);
    }
    row[status] += hours;
  };
  for (const r of ranges) {
    let h = hourNumber(r.from);
    const last = hourNumber(r.to);
    while (h <= last) {
      const dayEnd = Math.min(last, Math.floor(h / 24) * 24 + 23);
      add(dayKey(Math.floor(h / 24)), r.status, dayEnd - h + 1);
      h = dayEnd + 1;
    }
  }
  // Merge runs of whole days in one state (a year of missing hours is one row, not 365).
  const days = (x: HoursByDay) => dayNumber(x.to) - dayNumber(x.from) + 1;
  const wholeDaysIn = (x: HoursByDay): PartitionState | undefined => {
    const states = (['ok', 'failed', 'missing'] as const).filter((k) => x[k] > 0);
    return states.length === 1 && x[states[0]!] === 24 * days(x) ? states[0] : undefined;
  };
  const merged: HoursByDay[] = [];
  for (const row of rows) {
    const prev = merged.at(-1);
    const state = wholeDaysIn(row);
    if (prev && state !== undefined && wholeDaysIn(prev) === state && dayNumber(prev.to) + 1 === dayNumber(row.from)) {
      prev.to = row.to;
      prev[state] += row[state];
    } else {
      merged.push({ ...row });
    }
  }
  return merged;
}

/** `2026-12-01..2026-12-02 ok (48 hours)`, `2026-12-03 20 ok, 1 failed, 3 missing`, one per line. */
export function formatHoursByDay(days: readonly HoursByDay[]): string[] {
  return days.map((d) => {
    const span = d.from === d.to ? d.from : `${d.from}..${d.to}`;
    const parts = (['ok', 'failed', 'missing'] as const).filter((s) => d[s] > 0);
    if (parts.length === 1) return `${span} ${parts[0]} (${d[parts[0]!]} ${d[parts[0]!] === 1 ? 'hour' : 'hours'})`;
    return `${span} ${parts.map((s) => `${d[s]} ${s}`).join(', ')}`;
  });
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
  if (!isTimePartitioned(def)) {
    const status = rows.find((r) => r.partition === null)?.status;
    const state: PartitionState = status === 'succeeded' ? 'ok' : status === 'failed' ? 'failed' : 'missing';
    const counts = { ok: 0, failed: 0, missing: 0, [state]: 1 };
    return { asset, partitioned: false, ranges: [{ from: '-', to: '-', status: state, count: 1 }], counts, ...(note ? { note } : {}) };
  }
  const recorded = new Map<PartitionKey, StepStatus>();
  for (const r of rows) if (r.partition !== null) recorded.set(r.partition, r.status);
  const grain: PartitionGrain = def.type === 'hourly' ? 'hour' : 'day';
  const ranges = compactPartitionRanges(recorded, def.start, lastPartition(def, ws.clock), grain);
  const counts = { ok: 0, failed: 0, missing: 0 };
  for (const r of ranges) counts[r.status] += r.count;
  const days = grain === 'hour' ? { days: hoursByDay(ranges) } : {};
  return { asset, partitioned: true, grain, ranges, ...days, counts, ...(note ? { note } : {}) };
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
    const first = keys[0];
    return {
      def: first === undefined ? unpartitioned : isHourKey(first) ? hourlyPartitions(first) : dailyPartitions(first),
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
