import { DefinitionError, isTimePartitioned, type AssetDefinition, type AssetDep, type PartitionMapping } from '../../core/index.js';

/** A validated asset graph with deterministic traversal order. */
export interface AssetGraph<R = unknown> {
  readonly assets: ReadonlyMap<string, AssetDefinition<R>>;
  /** Keys in topological order (dependencies first; ties broken by key). */
  readonly order: readonly string[];
  get(key: string): AssetDefinition<R>;
  upstream(key: string): readonly AssetDep[];
  downstream(key: string): readonly string[];
}

/**
 * Validates definitions — duplicate keys, missing dependencies, cycles — reporting every problem at
 * once (DefinitionError), and returns the graph.
 */
export function buildAssetGraph<R>(definitions: readonly AssetDefinition<R>[]): AssetGraph<R> {
  const problems: string[] = [];
  const assets = new Map<string, AssetDefinition<R>>();
  for (const def of definitions) {
    if (assets.has(def.key)) problems.push(`asset ${def.key} is defined twice`);
    else assets.set(def.key, def);
  }
  const downstream = new Map<string, string[]>([...assets.keys()].map((k) => [k, []]));
  for (const def of assets.values()) {
    for (const dep of def.deps) {
      if (!assets.has(dep.key)) problems.push(`asset ${def.key} depends on unknown asset ${dep.key}`);
      else downstream.get(dep.key)!.push(def.key);
    }
  }
  for (const def of assets.values()) {
    for (const dep of def.deps) {
      const upstream = assets.get(dep.key);
      if (upstream) problems.push(...mappingProblems(def, dep, upstream));
    }
  }
  const order = kahnOrder(assets, problems);
  if (problems.length > 0) throw new DefinitionError(problems);
  for (const list of downstream.values()) list.sort();
  return {
    assets,
    order,
    get(key) {
      const def = assets.get(key);
      if (!def) throw new Error(`unknown asset ${key}`);
      return def;
    },
    upstream: (key) => assets.get(key)?.deps ?? [],
    downstream: (key) => downstream.get(key) ?? [],
  };
}

/**
 * The mapping a dependency uses: declared; else identity between two daily (or two hourly)
 * assets, time_window between a daily and an hourly one; else all.
 */
export function effectiveMapping(def: AssetDefinition<unknown>, dep: AssetDep, upstream: AssetDefinition<unknown>): PartitionMapping {
  if (dep.mapping) return dep.mapping;
  if (!isTimePartitioned(def.partitions) || !isTimePartitioned(upstream.partitions)) return { type: 'all' };
  return def.partitions.type === upstream.partitions.type ? { type: 'identity' } : { type: 'time_window' };
}

function mappingProblems<R>(def: AssetDefinition<R>, dep: AssetDep, upstream: AssetDefinition<R>): string[] {
  const m = dep.mapping;
  if (m === undefined || m.type === 'all') return [];
  const where = `asset ${def.key} -> ${dep.key}: ${m.type} mapping`;
  const problems: string[] = [];
  if ((m.type === 'identity' || m.type === 'time_window_offset') && def.partitions.type !== upstream.partitions.type) {
    problems.push(`${where} needs both assets partitioned alike (${def.partitions.type} vs ${upstream.partitions.type})`);
  }
  if ((m.type === 'last' || m.type === 'time_window_offset') && !isTimePartitioned(upstream.partitions)) {
    problems.push(`${where} needs a daily- or hourly-partitioned upstream`);
  }
  if (m.type === 'time_window' && (!isTimePartitioned(def.partitions) || !isTimePartitioned(upstream.partitions))) {
    problems.push(`${where} needs both assets partitioned by time (daily or hourly; got ${def.partitions.type} vs ${upstream.partitions.type})`);
  }
  if (m.type === 'time_window_offset' && (!Number.isInteger(m.offsetDays) || m.offsetDays === 0)) {
    problems.push(`${where} needs a non-zero whole number of days (got ${m.offsetDays})`);
  }
  return problems;
}

// Kahn's algorithm, taking the smallest ready key each time, so order is reproducible.
function kahnOrder<R>(assets: Map<string, AssetDefinition<R>>, problems: string[]): string[] {
  const remaining = new Map<string, number>();
  for (const def of assets.values()) remaining.set(def.key, def.deps.filter((d) => assets.has(d.key)).length);
  const ready = [...remaining].filter(([, n]) => n === 0).map(([k]) => k).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const key = ready.shift()!;
    order.push(key);
    for (const def of assets.values()) {
      if (def.deps.some((d) => d.key === key)) {
        const n = remaining.get(def.key)! - 1;
        remaining.set(def.key, n);
        if (n === 0) {
          ready.push(def.key);
          ready.sort();
        }
      }
    }
  }
  if (order.length < assets.size) {
    const stuck = [...assets.keys()].filter((k) => !order.includes(k)).sort();
    problems.push(`dependency cycle among: ${stuck.join(', ')}`);
  }
  return order;
}
