import { UsageError } from '../errors/index.js';

const DAY_MS = 86_400_000;
const KEY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A UTC day `YYYY-MM-DD`, a UTC hour `YYYY-MM-DDTHH` (hourly assets), or a static key. The same
 * object names a partition in the lake, warehouse and state.
 */
export type PartitionKey = string;

/** True when `text` is a real calendar day written `YYYY-MM-DD`. */
export function isPartitionKey(text: string): boolean {
  const m = KEY_SHAPE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * Parses a user-supplied day; throws UsageError (PARTITION_INVALID) with an example otherwise
 * (`alternatives` is appended to the example, for callers that accept more spellings).
 */
export function parsePartitionKey(text: string, what = 'partition', alternatives = ''): PartitionKey {
  if (!isPartitionKey(text)) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    throw new UsageError(`invalid ${what} ${shown}: expected a UTC day written YYYY-MM-DD, e.g. 2024-05-01${alternatives}`, {
      code: 'PARTITION_INVALID',
    });
  }
  return text;
}

const RELATIVE_DAYS: Readonly<Record<string, number>> = { today: 0, yesterday: -1 };

/**
 * Parses a day or hour a user typed: `YYYY-MM-DD`, `YYYY-MM-DDTHH` (a UTC hour, for hourly
 * assets), or `today` / `yesterday` / `last-hour` (UTC, relative to `now`), so a scheduler can say "yesterday's
 * partition" without computing a date. Throws UsageError (PARTITION_INVALID) otherwise.
 */
export function resolvePartitionKey(text: string, now: Date, what = 'partition'): PartitionKey {
  const relative = RELATIVE_DAYS[text.trim().toLowerCase()];
  if (relative !== undefined) return addDays(dateToKey(now), relative);
  // The previous full UTC hour: what an hourly schedule's tick targets.
  if (text.trim().toLowerCase() === 'last-hour') return hourKeyOf(new Date(now.getTime() - 3_600_000));
  if (isHourKey(text)) return text;
  return parsePartitionKey(text, what, ", or 'today' / 'yesterday' / 'last-hour' (an hour: YYYY-MM-DDTHH, e.g. 2024-05-01T13)");
}

export function keyToDate(key: PartitionKey): Date {
  return new Date(`${key}T00:00:00.000Z`);
}

export function dateToKey(date: Date): PartitionKey {
  return date.toISOString().slice(0, 10);
}

export function addDays(key: PartitionKey, days: number): PartitionKey {
  return dateToKey(new Date(keyToDate(key).getTime() + days * DAY_MS));
}

/** Whole days from `a` to `b` (negative when b < a). */
export function daysBetween(a: PartitionKey, b: PartitionKey): number {
  return Math.round((keyToDate(b).getTime() - keyToDate(a).getTime()) / DAY_MS);
}

/** Every day from `from` to `to`, both inclusive, in ascending order. */
export function partitionKeysBetween(from: PartitionKey, to: PartitionKey): PartitionKey[] {
  const n = daysBetween(from, to);
  const keys: PartitionKey[] = [];
  for (let i = 0; i <= n; i++) keys.push(addDays(from, i));
  return keys;
}

/** The half-open UTC window [start, end) of a day key, or of an hour key (`YYYY-MM-DDTHH`). */
export function timeWindow(key: PartitionKey): { start: Date; end: Date } {
  if (isHourKey(key)) {
    const start = new Date(`${key}:00:00.000Z`);
    return { start, end: new Date(start.getTime() + DAY_MS / 24) };
  }
  const start = keyToDate(key);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** True when `text` is a real UTC hour written `YYYY-MM-DDTHH` (an hourly partition's key). */
export function isHourKey(text: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(text);
  return m !== null && isPartitionKey(m[1]!) && Number(m[2]) < 24;
}

/** The hour an instant falls in (UTC), `YYYY-MM-DDTHH`. */
export function hourKeyOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}
