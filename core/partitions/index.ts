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
export { addHours, dayOf, firstHourOf, hourKeysBetween, hourKeyToDate, hoursOfDay, lastHourOf, timeKeysBetween } from './hour-key.js';
export {
  assertPartitionInDefinition,
  dailyPartitions,
  hourlyPartitions,
  isTimePartitioned,
  lastCompletePartition,
  lastPartition,
  partitionKeysInRange,
  partitionKeysOf,
  unpartitioned,
} from './partitions-definition.js';
export type { PartitionsDefinition, TimePartitionsDefinition } from './partitions-definition.js';
