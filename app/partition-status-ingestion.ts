import { dailyPartitions, unpartitioned, type PartitionsDefinition } from '../core/index.js';
import type { DetailSpec, EndpointSpec } from '../ingestion/index.js';

/**
 * The partitions of ingestion asset `asset` (`<source>/<entity>`) among `specs`, as the asset graph
 * defines them: a daily endpoint's days, a detail endpoint's parent's days, a snapshot none.
 * Undefined when no spec is that asset's. Needs neither the models nor the graph.
 */
export function ingestionPartitions(asset: string, specs: Iterable<EndpointSpec | DetailSpec>): PartitionsDefinition | undefined {
  const all = [...specs];
  const keyOf = (s: { source: string; entity: string }) => `${s.source}/${s.entity}`;
  const spec = all.find((s) => keyOf(s) === asset);
  if (spec === undefined) return undefined;
  const start = 'parent' in spec ? all.find((s) => keyOf(s) === `${spec.source}/${spec.parent.entity}`) : spec;
  return start !== undefined && !('parent' in start) && start.partition.type === 'daily' ? dailyPartitions(start.partition.start) : unpartitioned;
}
