import {
  UsageError,
  addDays,
  addHours,
  dayOf,
  hoursOfDay,
  isHourKey,
  partitionKeysOf,
  type Clock,
  type PartitionKey,
  type PartitionMapping,
  type PartitionsDefinition,
} from '../../core/index.js';
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
  /**
   * Partitions for partitioned assets, days or hours; null when none was requested. Each asset
   * takes its own grain of them (see `partitionKeysOf`): a day means an hourly asset's 24 hours,
   * an hour means a daily asset's day.
   */
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
 * Plans a run — a pure function of (graph, request, recorded state, now): one step per
 * (partitioned asset, partition of its grain the request names) and one per unpartitioned asset,
 * in graph order, each needing the upstream steps of the same run its partition mappings name
 * (identity, time window, offset, last, all). With `succeeded`, steps already materialized are
 * marked so (unless `force`). Throws UsageError when partitions are missing, superfluous or
 * outside an asset's definition.
 */
export function planRun(graph: AssetGraph, request: RunRequest, clock: Clock, options: PlanOptions = {}): Step[] {
  const selected = new Set(request.assets);
  const partitioned = request.assets.filter((k) => graph.get(k).partitions.type !== 'unpartitioned');
  if (request.partitions === null && partitioned.length > 0) {
    const hourly = graph.get(partitioned[0]!).partitions.type === 'hourly';
    const hint = hourly ? 'by hour: pass --partition YYYY-MM-DDTHH (or a day, for its 24 hours)' : 'by day: pass --partition YYYY-MM-DD';
    throw new UsageError(`${partitioned[0]} is partitioned ${hint} or --from/--to`, { code: 'PARTITION_INVALID' });
  }
  if (request.partitions !== null && partitioned.length === 0) {
    throw new UsageError('--partition was given but none of the selected assets is partitioned', { code: 'PARTITION_INVALID' });
  }
  const keysOf = partitionKeysFor(request.partitions ?? [], clock);
  const stepsOf = new Map<string, { ids: Map<PartitionKey | null, string>; last: string | undefined }>();
  const steps: Step[] = [];
  const willRun = new Set<string>();
  for (const key of request.assets) {
    const def = graph.get(key);
    const keys: (PartitionKey | null)[] = def.partitions.type === 'unpartitioned' ? [null] : keysOf(key, def.partitions);
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
          for (const target of upstreamKeys(m, partition, graph.get(dep.key).partitions)) {
            const id = dep.upstream.ids.get(target);
            if (id !== undefined) needs.push(id);
          }
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

// Assets sharing a definition share its keys: a year of hours is expanded once, not per asset.
function partitionKeysFor(requested: readonly PartitionKey[], clock: Clock): (asset: string, def: PartitionsDefinition) => PartitionKey[] {
  const cache = new Map<string, PartitionKey[]>();
  return (asset, def) => {
    if (def.type === 'static') return partitionKeysOf(asset, def, requested, clock);
    const id = `${def.type}|${'start' in def ? def.start : ''}|${'end' in def ? (def.end ?? '') : ''}`;
    let keys = cache.get(id);
    if (keys === undefined) {
      keys = partitionKeysOf(asset, def, requested, clock);
      cache.set(id, keys);
    }
    return keys;
  };
}

/** The upstream keys a key-to-key mapping names for `partition` (null: the unpartitioned step). */
function upstreamKeys(m: Exclude<PartitionMapping, { type: 'all' | 'last' }>, partition: PartitionKey | null, upstream: PartitionsDefinition): (PartitionKey | null)[] {
  if (partition === null || m.type === 'identity') return [partition];
  if (m.type === 'time_window_offset') {
    return [isHourKey(partition) ? addHours(partition, 24 * m.offsetDays) : addDays(partition, m.offsetDays)];
  }
  if (upstream.type === 'hourly') return isHourKey(partition) ? [partition] : hoursOfDay(partition);
  return [dayOf(partition)];
}

/** The steps to execute: materialized ones dropped, and needs on them treated as satisfied. */
export function runnableSteps(steps: readonly Step[]): Step[] {
  const skipped = new Set(steps.filter((s) => s.materialized).map((s) => s.id));
  if (skipped.size === 0) return [...steps];
  return steps.filter((s) => !s.materialized).map((s) => ({ ...s, needs: s.needs.filter((n) => !skipped.has(n)) }));
}
