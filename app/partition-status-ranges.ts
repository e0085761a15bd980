import { isHourKey, isTimePartitioned, lastPartition, type Clock, type PartitionKey, type PartitionsDefinition } from '../core/index.js';
import type { PartitionRun, StepStatus } from '../orchestration/index.js';

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

const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Compacts the recorded runs (StateStore.partitionRuns, in key order) into ranges of the same
 * state covering every day (with grain `hour`, every hour) from `start` to `end`, and any run
 * recorded outside. Runs of keys of another grain are left out. Pure; linear in the runs.
 */
export function compactPartitionRanges(runs: readonly PartitionRun[], start: PartitionKey, end: PartitionKey, grain: PartitionGrain = 'day'): PartitionRange[] {
  const toNumber = grain === 'hour' ? hourNumber : dayNumber;
  const toKey = grain === 'hour' ? hourKey : dayKey;
  // A key of the other grain (recorded before the definition changed) has no place here.
  const mine = runs.filter((r): r is PartitionRun & { from: string; to: string } => r.from !== null && r.to !== null && (grain === 'hour' ? isHourKey(r.from) : DAY_KEY.test(r.from)));
  const ranges: PartitionRange[] = [];
  const add = (from: number, to: number, status: PartitionState): void => {
    const last = ranges.at(-1);
    if (last?.status === status) {
      last.to = toKey(to);
      last.count += to - from + 1;
    } else {
      ranges.push({ from: toKey(from), to: toKey(to), status, count: to - from + 1 });
    }
  };
  let next = Math.min(toNumber(start), ...(mine.length > 0 ? [toNumber(mine[0]!.from)] : []));
  for (const run of mine) {
    const from = toNumber(run.from);
    if (from > next) add(next, from - 1, 'missing');
    const to = toNumber(run.to);
    add(from, to, stateOf(run.status));
    next = to + 1;
  }
  const last = toNumber(end);
  if (next <= last) add(next, last, 'missing');
  return ranges;
}

function stateOf(status: StepStatus): PartitionState {
  return status === 'succeeded' ? 'ok' : status === 'failed' ? 'failed' : 'missing';
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

/** The report of `asset` partitioned by `def`, from its recorded runs, at `clock`'s now. Pure. */
export function partitionStatusReport(asset: string, def: PartitionsDefinition, runs: readonly PartitionRun[], clock: Clock, note?: string): PartitionStatusReport {
  const noted = note !== undefined ? { note } : {};
  if (!isTimePartitioned(def)) {
    const status = runs.find((r) => r.from === null)?.status;
    const state: PartitionState = status === undefined ? 'missing' : stateOf(status);
    const counts = { ok: 0, failed: 0, missing: 0, [state]: 1 };
    return { asset, partitioned: false, ranges: [{ from: '-', to: '-', status: state, count: 1 }], counts, ...noted };
  }
  const grain: PartitionGrain = def.type === 'hourly' ? 'hour' : 'day';
  const ranges = compactPartitionRanges(runs, def.start, lastPartition(def, clock), grain);
  const counts = { ok: 0, failed: 0, missing: 0 };
  for (const r of ranges) counts[r.status] += r.count;
  const days = grain === 'hour' ? { days: hoursByDay(ranges) } : {};
  return { asset, partitioned: true, grain, ranges, ...days, counts, ...noted };
}
