import { fixedClock, lastCompletePartition, type PartitionKey } from '../../core/index.js';

/**
 * The partition a tick at `tick` targets: the last complete UTC day (daily) or hour (hourly)
 * before it, since the current one is still filling. Pure: a late (caught-up) tick still takes
 * the one before ITS time.
 */
export function partitionBeforeTick(tick: Date, type: 'daily' | 'hourly'): PartitionKey {
  return lastCompletePartition({ type }, fixedClock(tick));
}
