export {
  addDays,
  dateToKey,
  daysBetween,
  hourKeyOf,
  isHourKey,
  isPartitionKey,
  keyToDate,
  partitionKeysBetween,
  parsePartitionKey,
  resolvePartitionKey,
  timeWindow,
} from './partition-key.js';
export type { PartitionKey } from './partition-key.js';
export {
  assertPartitionInDefinition,
  dailyPartitions,
  lastCompletePartition,
  partitionKeysInRange,
  unpartitioned,
} from './partitions-definition.js';
export type { PartitionsDefinition } from './partitions-definition.js';
