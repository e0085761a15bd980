import { UsageError, addDays, assertPartitionInDefinition, type Clock, type PartitionKey } from '../../core/index.js';
import { effectiveMapping, type AssetGraph } from '../graph/index.js';

export interface Step {
  /** `asset` or `asset[partition]`. */
  id: string;
  asset: string;
  partition: PartitionKey | null;
  /** Ids of the steps of this run that must succeed first. */
  needs: string[];
  /** Recorded as succeeded, not forced, and no step it needs will run: planned, not executed. */
  materialized: boolean;
  /** The partitions a range step covers (in order); absent for single-partition steps. */
  range?: PartitionKey[];
}

export interface RunRequest {
  /** Selected asset keys in graph order. */
  assets: readonly string[];
  /** Partitions for daily assets; null when none was requested. */
  partitions: readonly PartitionKey[] | null;
}

export interface PlanOptions {
  /** Partitions recorded as succeeded per asset (null = the unpartitioned asset). */
  succeeded?: (asset: string) => ReadonlySet<PartitionKey | null>;
  /** Plan already-materialized steps for execution anyway. */
  force?: boolean;
  /** One step over the whole requested range for assets that support it (SQL models). */
  rangeSteps?: boolean;
}

export function stepId(asset: string, partition: PartitionKey | null): string {
  return partition === null ? asset : `${asset}[${partition}]`;
}

/**
 * Plans a run — a pure function of (graph, request, recorded state, now): one step per (daily
 * asset, requested partition) and one per unpartitioned asset, in graph order, each needing the
 * upstream steps of the same run its partition mappings name (identity, offset, last, all). With
 * `succeeded`, steps already materialized are marked so (unless `force`). Throws UsageError when
 * partitions are missing, superfluous or outside an asset's definition.
 */
export function planRun(graph: AssetGraph, request: RunRequest, clock: Clock, options: PlanOptions = {}): Step[] {
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
  const partitions = request.partitions ?? [];
  if (partitions.length > 0) {
    // The range is contiguous and sorted: checking its ends checks every key.
    for (const key of daily) {
      for (const p of [partitions[0]!, partitions[partitions.length - 1]!]) assertPartitionInDefinition(key, graph.get(key).partitions, p, clock);
    }
  }
  const stepsOf = new Map<string, { ids: Map<PartitionKey | null, string>; last: string | undefined }>();
  const steps: Step[] = [];
  const willRun = new Set<string>();
  for (const key of request.assets) {
    const def = graph.get(key);
    const keys: (PartitionKey | null)[] = def.partitions.type === 'unpartitioned' ? [null] : [...partitions];
    const done = options.force ? undefined : options.succeeded?.(key);
    const deps = def.deps
      .filter((d) => selected.has(d.key))
      .map((d) => ({ key: d.key, mapping: effectiveMapping(def, d, graph.get(d.key)), upstream: stepsOf.get(d.key)! }));
    const ids = new Map<PartitionKey | null, string>();
    const needsOf = (partition: PartitionKey | null): string[] => {
      const needs: string[] = [];
      for (const dep of deps) {
        const m = dep.mapping;
        if (m.type === 'all') needs.push(...dep.upstream.ids.values());
        else if (m.type === 'last') {
          if (dep.upstream.last !== undefined) needs.push(dep.upstream.last);
        } else {
          const target = m.type === 'identity' || partition === null ? partition : addDays(partition, m.offsetDays);
          const id = dep.upstream.ids.get(target);
          if (id !== undefined) needs.push(id);
        }
      }
      return needs;
    };
    const push = (id: string, partition: PartitionKey | null, needs: string[], recorded: boolean, range?: PartitionKey[]): void => {
      const unique = [...new Set(needs)];
      // Up to date only if recorded and nothing it reads is about to change.
      const materialized = recorded && unique.every((n) => !willRun.has(n));
      if (!materialized) willRun.add(id);
      steps.push({ id, asset: key, partition, needs: unique, materialized, ...(range ? { range } : {}) });
    };
    if (options.rangeSteps && def.supportsRanges && keys.length > 1) {
      const range = keys as PartitionKey[];
      const id = `${key}[${range[0]}..${range[range.length - 1]}]`;
      for (const p of range) ids.set(p, id);
      push(id, range[0]!, range.flatMap(needsOf), range.every((p) => done?.has(p) ?? false), range);
    } else {
      for (const partition of keys) {
        const id = stepId(key, partition);
        ids.set(partition, id);
        push(id, partition, needsOf(partition), done?.has(partition) ?? false);
      }
    }
    stepsOf.set(key, { ids, last: keys.length > 0 ? ids.get(keys[keys.length - 1]!) : undefined });
  }
  return steps;
}

/** The steps to execute: materialized ones dropped, and needs on them treated as satisfied. */
export function runnableSteps(steps: readonly Step[]): Step[] {
  const skipped = new Set(steps.filter((s) => s.materialized).map((s) => s.id));
  if (skipped.size === 0) return [...steps];
  return steps.filter((s) => !s.materialized).map((s) => ({ ...s, needs: s.needs.filter((n) => !skipped.has(n)) }));
}
