import { UsageError, assertPartitionInDefinition, type Clock, type PartitionKey } from '../../core/index.js';
import type { AssetGraph } from '../graph/index.js';

export interface Step {
  /** `asset` or `asset[partition]`. */
  id: string;
  asset: string;
  partition: PartitionKey | null;
  /** Ids of the steps of this run that must succeed first. */
  needs: string[];
}

export interface RunRequest {
  /** Selected asset keys in graph order. */
  assets: readonly string[];
  /** Partitions for daily assets; null when none was requested. */
  partitions: readonly PartitionKey[] | null;
}

export function stepId(asset: string, partition: PartitionKey | null): string {
  return partition === null ? asset : `${asset}[${partition}]`;
}

/**
 * Plans a run: one step per (daily asset, requested partition) and one per unpartitioned asset,
 * each needing its upstream steps in the same run (identity between daily assets; an
 * unpartitioned asset waits for all partitions of its daily parents). Pure; throws UsageError when
 * partitions are missing, superfluous or outside an asset's definition.
 */
export function planRun(graph: AssetGraph, request: RunRequest, clock: Clock): Step[] {
  const selected = new Set(request.assets);
  const daily = request.assets.filter((k) => graph.get(k).partitions.type !== 'unpartitioned');
  if (request.partitions === null && daily.length > 0) {
    throw new UsageError(`${daily[0]} is partitioned by day: pass --partition YYYY-MM-DD or --from/--to`, {
      code: 'PARTITION_INVALID',
    });
  }
  if (request.partitions !== null && daily.length === 0) {
    throw new UsageError('--partition was given but none of the selected assets is partitioned', { code: 'PARTITION_INVALID' });
  }
  const stepsOf = new Map<string, Step[]>();
  const steps: Step[] = [];
  for (const key of request.assets) {
    const def = graph.get(key);
    const keys: (PartitionKey | null)[] =
      def.partitions.type === 'unpartitioned' ? [null] : [...(request.partitions ?? [])];
    for (const p of keys) if (p !== null) assertPartitionInDefinition(key, def.partitions, p, clock);
    const own: Step[] = keys.map((partition) => {
      const needs: string[] = [];
      for (const dep of def.deps) {
        if (!selected.has(dep.key)) continue;
        const upstream = stepsOf.get(dep.key) ?? [];
        const identity = partition !== null && graph.get(dep.key).partitions.type !== 'unpartitioned';
        for (const s of upstream) if (!identity || s.partition === partition) needs.push(s.id);
      }
      return { id: stepId(key, partition), asset: key, partition, needs };
    });
    stepsOf.set(key, own);
    steps.push(...own);
  }
  return steps;
}
