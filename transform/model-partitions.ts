import { dailyPartitions, hourlyPartitions, unpartitioned, type PartitionKey, type PartitionsDefinition } from '../core/index.js';
import type { ModelNode } from './model.js';

/**
 * A model's partitions from `start` (a day): daily for a partitioned model, hourly for one whose
 * `partition_by` has `granularity: 'hour'` (from `start`'s first hour), none otherwise.
 */
export function modelPartitions(node: Pick<ModelNode, 'materialized' | 'partitionGrain'>, start: PartitionKey): PartitionsDefinition {
  if (node.materialized !== 'partitioned') return unpartitioned;
  return node.partitionGrain === 'hour' ? hourlyPartitions(start) : dailyPartitions(start);
}
