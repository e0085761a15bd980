import { UsageError } from '../errors/index.js';
import type { Clock } from '../clock.js';
import { addDays, dateToKey, hourKeyOf, isHourKey, isPartitionKey, parsePartitionKey, type PartitionKey } from './partition-key.js';
import { addHours, dayOf, firstHourOf, hoursOfDay, lastHourOf, timeKeysBetween } from './hour-key.js';

/** How an asset is partitioned. Strategies are `type`-discriminated (STYLE principle 7). */
export type PartitionsDefinition =
  | { type: 'unpartitioned' }
  | { type: 'daily'; start: PartitionKey; end?: PartitionKey }
  /** UTC hours `YYYY-MM-DDTHH`; `start` and `end` are hour keys. */
  | { type: 'hourly'; start: PartitionKey; end?: PartitionKey }
  | { type: 'static'; keys: readonly string[] };

/** A definition whose keys are time windows (days or hours). */
export type TimePartitionsDefinition = Extract<PartitionsDefinition, { type: 'daily' | 'hourly' }>;

export const unpartitioned: PartitionsDefinition = { type: 'unpartitioned' };

export function isTimePartitioned(def: PartitionsDefinition): def is TimePartitionsDefinition {
  return def.type === 'daily' || def.type === 'hourly';
}

export function dailyPartitions(start: PartitionKey, end?: PartitionKey): PartitionsDefinition {
  parsePartitionKey(start, 'daily partitions start');
  if (end !== undefined) parsePartitionKey(end, 'daily partitions end');
  return end === undefined ? { type: 'daily', start } : { type: 'daily', start, end };
}

/**
 * UTC hours from `start` (an hour, or a day meaning its first hour) to `end` (an hour, or a day
 * meaning its last hour; open-ended when absent). Throws UsageError on a malformed key.
 */
export function hourlyPartitions(start: PartitionKey, end?: PartitionKey): Extract<PartitionsDefinition, { type: 'hourly' }> {
  const first = firstHourOf(parseTimeKey(start, 'hourly partitions start'));
  if (end === undefined) return { type: 'hourly', start: first };
  const last = lastHourOf(parseTimeKey(end, 'hourly partitions end'));
  if (last < first) throw new UsageError(`hourly partitions end ${end} is before their start ${start}`, { code: 'PARTITION_INVALID' });
  return { type: 'hourly', start: first, end: last };
}

/**
 * The last complete partition a time definition offers at `now`: yesterday (daily) or the
 * previous full UTC hour (hourly), or its end if earlier. The current one is still filling, so
 * it is never the default target.
 */
export function lastCompletePartition(def: { type: 'daily' | 'hourly'; end?: PartitionKey }, clock: Clock): PartitionKey {
  const now = clock.now();
  const previous = def.type === 'hourly' ? addHours(hourKeyOf(now), -1) : addDays(dateToKey(now), -1);
  return def.end !== undefined && def.end < previous ? def.end : previous;
}

/** The newest partition that exists at `now`: today, or the current UTC hour (it may be materialized early). */
export function lastPartition(def: TimePartitionsDefinition, clock: Clock): PartitionKey {
  const now = clock.now();
  const current = def.type === 'hourly' ? hourKeyOf(now) : dateToKey(now);
  return def.end !== undefined && def.end < current ? def.end : current;
}

/**
 * Checks that `key` exists in `def` at `now`; throws UsageError naming the valid range otherwise.
 * A daily partition exists from `start` up to today (UTC), an hourly one up to the current UTC
 * hour; the current one may be materialized early.
 */
export function assertPartitionInDefinition(
  assetKey: string,
  def: PartitionsDefinition,
  key: PartitionKey,
  clock: Clock,
): void {
  if (def.type === 'unpartitioned') {
    throw new UsageError(`${assetKey} is not partitioned: drop --partition for it`, { code: 'PARTITION_INVALID' });
  }
  if (def.type === 'static') {
    if (!def.keys.includes(key)) {
      throw new UsageError(`${assetKey} has no partition "${key}" (valid: ${def.keys.join(', ')})`, {
        code: 'PARTITION_INVALID',
      });
    }
    return;
  }
  if (def.type === 'hourly' && !isHourKey(key)) {
    parsePartitionKey(key);
    throw new UsageError(`${assetKey} is partitioned by hour: name an hour such as ${key}T05, or the day ${key} for its 24 hours`, {
      code: 'PARTITION_INVALID',
    });
  }
  if (def.type === 'daily') parsePartitionKey(key);
  const last = lastPartition(def, clock);
  if (key < def.start || key > last) throw outside(assetKey, def, key, clock);
}

/**
 * The keys of `def` that `requested` names — the one list a run request carries for every asset,
 * its days or hours: a daily asset takes the days of the keys (an hour means its day), an hourly
 * asset the hours (a day means its 24 hours, trimmed to the hours the definition has at `now`),
 * a static one the keys themselves; none for an unpartitioned asset. Ascending and unique for
 * time definitions. Throws UsageError when a key is outside the definition.
 */
export function partitionKeysOf(assetKey: string, def: PartitionsDefinition, requested: readonly PartitionKey[], clock: Clock): PartitionKey[] {
  if (def.type === 'unpartitioned') return [];
  if (def.type === 'static') {
    for (const key of requested) assertPartitionInDefinition(assetKey, def, key, clock);
    return [...requested];
  }
  if (def.type === 'daily') {
    const days = [...new Set(requested.map(dayOf))].sort();
    // Sorted: checking the ends checks every day.
    for (const day of [days[0], days[days.length - 1]]) if (day !== undefined) assertPartitionInDefinition(assetKey, def, day, clock);
    return days;
  }
  const last = lastPartition(def, clock);
  const hours = new Set<PartitionKey>();
  for (const key of requested) {
    if (isHourKey(key)) {
      assertPartitionInDefinition(assetKey, def, key, clock);
      hours.add(key);
      continue;
    }
    parsePartitionKey(key);
    const inside = hoursOfDay(key).filter((h) => h >= def.start && h <= last);
    if (inside.length === 0) throw outside(assetKey, def, key, clock);
    for (const h of inside) hours.add(h);
  }
  return [...hours].sort();
}

/** All partition keys of `def` from `from` to `to` (inclusive, days or hours), validated. */
export function partitionKeysInRange(
  assetKey: string,
  def: PartitionsDefinition,
  from: PartitionKey,
  to: PartitionKey,
  clock: Clock,
): PartitionKey[] {
  return partitionKeysOf(assetKey, def, timeKeysBetween(from, to), clock);
}

function outside(assetKey: string, def: TimePartitionsDefinition, key: PartitionKey, clock: Clock): UsageError {
  const unit = def.type === 'hourly' ? 'hourly partitions' : 'daily partitions';
  const note = def.type === 'hourly' ? 'UTC hours' : 'UTC';
  return new UsageError(`partition ${key} is outside ${assetKey}'s ${unit} (${def.start}..${lastPartition(def, clock)}, ${note})`, {
    code: 'PARTITION_INVALID',
  });
}

function parseTimeKey(text: string, what: string): PartitionKey {
  if (isHourKey(text)) return text;
  if (isPartitionKey(text)) return text;
  return parsePartitionKey(text, what, ', or an hour YYYY-MM-DDTHH');
}
