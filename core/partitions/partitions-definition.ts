import { UsageError } from '../errors/index.js';
import type { Clock } from '../clock.js';
import { addDays, dateToKey, partitionKeysBetween, parsePartitionKey, type PartitionKey } from './partition-key.js';

/** How an asset is partitioned. Strategies are `type`-discriminated (STYLE principle 7). */
export type PartitionsDefinition =
  | { type: 'unpartitioned' }
  | { type: 'daily'; start: PartitionKey; end?: PartitionKey }
  | { type: 'static'; keys: readonly string[] };

export const unpartitioned: PartitionsDefinition = { type: 'unpartitioned' };

export function dailyPartitions(start: PartitionKey, end?: PartitionKey): PartitionsDefinition {
  parsePartitionKey(start, 'daily partitions start');
  if (end !== undefined) parsePartitionKey(end, 'daily partitions end');
  return end === undefined ? { type: 'daily', start } : { type: 'daily', start, end };
}

/**
 * The last complete day a daily definition offers at `now`: yesterday (UTC), or its end if earlier.
 * Today's partition is still filling, so it is never the default target.
 */
export function lastCompletePartition(def: { type: 'daily'; end?: PartitionKey }, clock: Clock): PartitionKey {
  const yesterday = addDays(dateToKey(clock.now()), -1);
  return def.end !== undefined && def.end < yesterday ? def.end : yesterday;
}

/**
 * Checks that `key` exists in `def` at `now`; throws UsageError naming the valid range otherwise.
 * A daily partition exists from `start` up to today (UTC); today's may be materialized early.
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
  parsePartitionKey(key);
  const today = dateToKey(clock.now());
  const last = def.end !== undefined && def.end < today ? def.end : today;
  if (key < def.start || key > last) {
    throw new UsageError(
      `partition ${key} is outside ${assetKey}'s daily partitions (${def.start}..${last}, UTC)`,
      { code: 'PARTITION_INVALID' },
    );
  }
}

/** All partition keys of `def` from `from` to `to` (inclusive), validated. */
export function partitionKeysInRange(
  assetKey: string,
  def: PartitionsDefinition,
  from: PartitionKey,
  to: PartitionKey,
  clock: Clock,
): PartitionKey[] {
  assertPartitionInDefinition(assetKey, def, from, clock);
  assertPartitionInDefinition(assetKey, def, to, clock);
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`, { code: 'PARTITION_INVALID' });
  return partitionKeysBetween(from, to);
}
