import { UsageError } from '../errors/index.js';
import { isHourKey, isPartitionKey, partitionKeysBetween, type PartitionKey } from './partition-key.js';

const HOUR_MS = 3_600_000;

/** The first instant of an hour key `YYYY-MM-DDTHH` (UTC). */
export function hourKeyToDate(key: PartitionKey): Date {
  return new Date(`${key}:00:00.000Z`);
}

/** The hour `hours` after `key` (negative: before), `YYYY-MM-DDTHH`. */
export function addHours(key: PartitionKey, hours: number): PartitionKey {
  return new Date(hourKeyToDate(key).getTime() + hours * HOUR_MS).toISOString().slice(0, 13);
}

/** Every hour from `from` to `to`, both inclusive, ascending (empty when `to` < `from`). */
export function hourKeysBetween(from: PartitionKey, to: PartitionKey): PartitionKey[] {
  const n = Math.round((hourKeyToDate(to).getTime() - hourKeyToDate(from).getTime()) / HOUR_MS);
  const keys: PartitionKey[] = [];
  for (let i = 0; i <= n; i++) keys.push(addHours(from, i));
  return keys;
}

/** The 24 hours of a UTC day, `D T00` to `D T23`. */
export function hoursOfDay(day: PartitionKey): PartitionKey[] {
  return hourKeysBetween(`${day}T00`, `${day}T23`);
}

/** The UTC day a day or hour key falls in. */
export function dayOf(key: PartitionKey): PartitionKey {
  return key.slice(0, 10);
}

/** A time key as its first hour: a day becomes its `T00`, an hour stays itself. */
export function firstHourOf(key: PartitionKey): PartitionKey {
  return isHourKey(key) ? key : `${key}T00`;
}

/** A time key as its last hour: a day becomes its `T23`, an hour stays itself. */
export function lastHourOf(key: PartitionKey): PartitionKey {
  return isHourKey(key) ? key : `${key}T23`;
}

/**
 * Every key from `from` to `to` (inclusive) a user asked for: days when both ends are days,
 * otherwise hours (a day end standing for its first or last hour). Throws UsageError when
 * `to` is before `from`.
 */
export function timeKeysBetween(from: PartitionKey, to: PartitionKey): PartitionKey[] {
  if (isPartitionKey(from) && isPartitionKey(to)) {
    if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`, { code: 'PARTITION_INVALID' });
    return partitionKeysBetween(from, to);
  }
  const first = firstHourOf(from);
  const last = lastHourOf(to);
  if (last < first) throw new UsageError(`--to ${to} is before --from ${from}`, { code: 'PARTITION_INVALID' });
  return hourKeysBetween(first, last);
}
