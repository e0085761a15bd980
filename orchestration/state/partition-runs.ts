import type { StepStatus } from './state-store.js';

/**
 * A stretch of an asset's recorded partitions that share their latest status and follow one
 * another without a gap: consecutive UTC days (`YYYY-MM-DD`), or consecutive UTC hours
 * (`YYYY-MM-DDTHH`). Any other key is a run of its own; the unpartitioned record is the run whose
 * `from` and `to` are null.
 */
export interface PartitionRun {
  from: string | null;
  to: string | null;
  status: StepStatus;
  /** How many partitions the run holds: `to` - `from` + 1 periods. */
  count: number;
}

const DAY_MS = 86_400_000;
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/**
 * Cuts `keys` (in ascending key order, each once) and their `statuses` into runs, in the same
 * order. Pure; linear in the keys. `''` stands for the unpartitioned record, as it is stored.
 */
export function cutPartitionRuns(keys: readonly string[], statuses: readonly StepStatus[]): PartitionRun[] {
  const runs: PartitionRun[] = [];
  let run: PartitionRun | undefined;
  let runShape: Shape = 'other';
  let runEnd = Number.NaN;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const status = statuses[i]!;
    const shape = shapeOf(key);
    const period = shape === 'day' ? dayNumber(key) : shape === 'hour' ? dayNumber(key) * 24 + Number(key.slice(11, 13)) : Number.NaN;
    // NaN (a key of no time shape, or no run yet) never equals anything: it starts a run.
    if (run !== undefined && shape === runShape && status === run.status && period === runEnd + 1) {
      run.to = key;
      run.count++;
    } else {
      run = { from: key === '' ? null : key, to: key === '' ? null : key, status, count: 1 };
      runs.push(run);
      runShape = shape;
    }
    runEnd = period;
  }
  return runs;
}

type Shape = 'day' | 'hour' | 'other';

function shapeOf(key: string): Shape {
  if (key.length === 10 && DAY_KEY.test(key)) return 'day';
  if (key.length === 13 && HOUR_KEY.test(key)) return 'hour';
  return 'other';
}

function dayNumber(key: string): number {
  return Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10))) / DAY_MS;
}
