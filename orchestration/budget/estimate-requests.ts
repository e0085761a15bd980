import { daysBetween, type PartitionKey } from '../../core/index.js';
import type { DetailSpec, EndpointSpec } from '../../ingestion/index.js';
import type { Step } from '../execute/index.js';

export interface AssetEstimate {
  asset: string;
  source: string;
  steps: number;
  requests: number;
  basis: 'history' | 'probe' | 'page cap' | 'default' | 'parent items';
}

export interface RequestEstimate {
  /** Requests the plan would send, per source. */
  bySource: Record<string, number>;
  total: number;
  assets: AssetEstimate[];
  /** Requests already spent on probes to make this estimate. */
  probeRequests: number;
}

export interface EstimateInputs {
  /** Requests of recent successful materializations of an asset (newest first). */
  history: (asset: string) => Promise<number[]>;
  /** Items the API reports for an endpoint over [from, to] (one request, page_size=1). */
  probeCount: (spec: EndpointSpec, from: PartitionKey | null, to: PartitionKey | null) => Promise<number>;
  snapshotMaxPages: number;
  /** Records committed in the lake for a partition of an entity, if any (detail estimates). */
  committedRecords?: (source: string, entity: string, dt: PartitionKey) => Promise<number | undefined>;
}

/** Partitions of history enough to trust an average rather than probing. */
const MIN_HISTORY = 7;
/** Below this many partitions a probe is not worth its own request. */
const MIN_PROBE_PARTITIONS = 7;
const DEFAULT_PER_DAY = 10;

/**
 * Estimates the API requests of the ingestion steps a plan would execute: from the asset's
 * recorded history when there is enough, else from one probe of the item count over the range
 * (pages ≈ items / page size + ½ per partition for the last partial page, at least one each), else
 * from the page cap or a default. Detail endpoints (one request per item of a parent partition)
 * are estimated after their parents, as `parent items − details already committed` per partition.
 */
export async function estimateRequests(
  steps: readonly Step[],
  specs: ReadonlyMap<string, EndpointSpec | DetailSpec>,
  inputs: EstimateInputs,
): Promise<RequestEstimate> {
  const byAsset = new Map<string, Step[]>();
  for (const s of steps) {
    if (s.materialized || !specs.has(s.asset)) continue;
    byAsset.set(s.asset, [...(byAsset.get(s.asset) ?? []), s]);
  }
  const assets: AssetEstimate[] = [];
  const details: [string, DetailSpec, Step[]][] = [];
  /** Items one step of a list endpoint is expected to list: what detail endpoints fetch. */
  const itemsPerStep = new Map<string, number>();
  let probeRequests = 0;
  for (const [asset, list] of byAsset) {
    const spec = specs.get(asset)!;
    if ('parent' in spec) {
      details.push([asset, spec, list]);
      continue;
    }
    const history = (await inputs.history(asset)).slice(0, 30);
    const base = { asset, source: spec.source, steps: list.length };
    if (history.length >= Math.min(MIN_HISTORY, spec.partition.type === 'daily' ? MIN_HISTORY : 1)) {
      const mean = history.reduce((a, b) => a + b, 0) / history.length;
      assets.push({ ...base, requests: Math.round(mean * list.length), basis: 'history' });
      continue;
    }
    const pageSize = spec.paginator.pageSize;
    const cap = spec.paginator.maxPages === 'config' ? inputs.snapshotMaxPages : spec.paginator.maxPages;
    if (spec.partition.type === 'daily') {
      if (list.length < MIN_PROBE_PARTITIONS) {
        assets.push({ ...base, requests: list.length * DEFAULT_PER_DAY, basis: 'default' });
        continue;
      }
      const keys = list.map((s) => s.partition!).sort();
      const from = keys[0]!;
      const to = keys[keys.length - 1]!;
      const items = await inputs.probeCount(spec, from, to);
      probeRequests++;
      const perDay = items / (daysBetween(from, to) + 1);
      const pages = Math.max(1, perDay / pageSize + 0.5);
      assets.push({ ...base, requests: Math.round(pages * list.length), basis: 'probe' });
      itemsPerStep.set(asset, perDay);
    } else if (cap !== undefined) {
      assets.push({ ...base, requests: cap * list.length, basis: 'page cap' });
    } else {
      const items = await inputs.probeCount(spec, null, null);
      probeRequests++;
      assets.push({ ...base, requests: Math.max(1, Math.ceil(items / pageSize)) * list.length, basis: 'probe' });
    }
  }
  for (const [asset, spec, list] of details) {
    const parentKey = `${spec.source}/${spec.parent.entity}`;
    const parent = specs.get(parentKey);
    const parentEstimate = assets.find((a) => a.asset === parentKey);
    // Items a re-fetched parent partition lists: probed, else its pages less half a page, full.
    const perParentStep =
      itemsPerStep.get(parentKey) ??
      (parentEstimate && parent && !('parent' in parent) ? Math.max(0, parentEstimate.requests / parentEstimate.steps - 0.5) * parent.paginator.pageSize : 0);
    const refetched = new Set((byAsset.get(parentKey) ?? []).map((s) => s.partition));
    let requests = 0;
    for (const step of list) {
      const dt = step.partition!;
      const listed = refetched.has(dt) ? perParentStep : ((await inputs.committedRecords?.(spec.source, spec.parent.entity, dt)) ?? 0);
      const known = (await inputs.committedRecords?.(spec.source, spec.entity, dt)) ?? 0;
      requests += Math.max(0, listed - known) * spec.requestCost;
    }
    assets.push({ asset, source: spec.source, steps: list.length, requests: Math.round(requests), basis: 'parent items' });
  }
  const bySource: Record<string, number> = {};
  for (const a of assets) bySource[a.source] = (bySource[a.source] ?? 0) + a.requests;
  return { bySource, total: assets.reduce((n, a) => n + a.requests, 0), assets, probeRequests };
}
