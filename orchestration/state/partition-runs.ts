import type { StepStatus } from './state-store.js';

/**
 * A stretch of an asset's recorded partitions, adjacent in key order, that share their latest
 * status and follow one another without a gap: consecutive UTC days (`YYYY-MM-DD`), or consecutive
 * UTC hours (`YYYY-MM-DDTHH`) (a day key sorting between two hours ends the hours' run). Any other
 * key is a run of its own; the unpartitioned record is the run whose `from` and `to` are null.
 */
export interface PartitionRun {
  from: string | null;
  to: string | null;
  status: StepStatus;
  /** How many partitions the run holds: `to` - `from` + 1 periods. */
  count: number;
}

const NOT_A_PERIOD = Number.NaN;

/**
 * Cuts recorded partitions into runs, in key order. `keys` is a JSON array text of the keys in
 * ascending order (each once; `''` is the unpartitioned record, as stored) and `statuses` their
 * statuses joined by commas. Pure; linear in the text; it makes strings for the runs' ends only,
 * none per key (100,000 keys would otherwise be 100,000 strings to parse and collect).
 */
export function cutPartitionRuns(keys: string, statuses: string): PartitionRun[] {
  const runs: PartitionRun[] = [];
  let run: PartitionRun | undefined;
  let runStatus = 0;
  let runEnd = NOT_A_PERIOD;
  // Where the run's last key is: `to` is cut from it once the run ends.
  let lastText = '';
  let lastStart = 0;
  let lastEnd = 0;
  const close = (): void => {
    if (run !== undefined && run.count > 1) run.to = lastText.slice(lastStart, lastEnd);
  };
  let statusStart = 0;
  const add = (text: string, keyStart: number, keyEnd: number): void => {
    let statusEnd = statuses.indexOf(',', statusStart);
    if (statusEnd === -1) statusEnd = statuses.length;
    const period = periodOf(text, keyStart, keyEnd);
    // NaN (a key of no time shape, or no run yet) equals nothing: it starts a run.
    if (run !== undefined && period === runEnd + 1 && sameStatus(statuses, runStatus, statusStart, statusEnd)) {
      run.count++;
    } else {
      close();
      const key = keyEnd === keyStart ? null : text.slice(keyStart, keyEnd);
      run = { from: key, to: key, status: statuses.slice(statusStart, statusEnd) as StepStatus, count: 1 };
      runs.push(run);
      runStatus = statusStart;
    }
    lastText = text;
    lastStart = keyStart;
    lastEnd = keyEnd;
    runEnd = period;
    statusStart = statusEnd + 1;
  };
  if (keys.includes('\\')) {
    // A JSON escape (`\"`, `\u001f`) in some key: parse them all.
    for (const key of JSON.parse(keys) as string[]) add(key, 0, key.length);
  } else {
    // No escape: every key is the text between two quotes.
    for (let quote = keys.indexOf('"'); quote !== -1; ) {
      const end = keys.indexOf('"', quote + 1);
      add(keys, quote + 1, end);
      quote = keys.indexOf('"', end + 1);
    }
  }
  close();
  return runs;
}

/** Whether the statuses at `a` and at `b` (ending at `bEnd`, each ended by a comma or the text's end) are the same. */
function sameStatus(text: string, a: number, b: number, bEnd: number): boolean {
  const length = bEnd - b;
  const aEnd = a + length;
  if (aEnd < text.length && text.charCodeAt(aEnd) !== 44) return false;
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

/**
 * The key `text[start, end)` as a period number: days since 1970-01-01 for `YYYY-MM-DD`, hours for
 * `YYYY-MM-DDTHH`, each shape in its own range so a day never follows an hour; NaN for any other key.
 */
function periodOf(text: string, start: number, end: number): number {
  const length = end - start;
  if (length !== 10 && length !== 13) return NOT_A_PERIOD;
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return NOT_A_PERIOD; // -
  const year = digit(text, start) * 1000 + digit(text, start + 1) * 100 + digit(text, start + 2) * 10 + digit(text, start + 3);
  const month = digit(text, start + 5) * 10 + digit(text, start + 6);
  const dayOfMonth = digit(text, start + 8) * 10 + digit(text, start + 9);
  // Keys are checked when recorded; this only keeps a malformed one from joining a run.
  if (!(month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= 31)) return NOT_A_PERIOD;
  const day = daysFromCivil(year, month, dayOfMonth);
  if (length === 10) return day;
  if (text.charCodeAt(start + 10) !== 84) return NOT_A_PERIOD; // T
  // Hours live far above any day number, so an hour key never continues a day key's run.
  return HOURS_BASE + day * 24 + digit(text, start + 11) * 10 + digit(text, start + 12);
}

function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : NOT_A_PERIOD;
}

const HOURS_BASE = 1e12;

/** Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

