import { daysBetween, type PartitionKey } from '../../core/index.js';
import type { EndpointSpec } from '../../ingestion/index.js';
import type { Step } from '../execute/index.js';

export interface AssetEstimate {
  asset: string;
  source: string;
  steps: number;
  requests: number;
  basis: 'history' | 'probe' | 'page cap' | 'default';
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
 * from the page cap or a default.
 */
export async function estimateRequests(
  steps: readonly Step[],
  specs: ReadonlyMap<string, EndpointSpec>,
  inputs: EstimateInputs,
): Promise<RequestEstimate> {
  const byAsset = new Map<string, Step[]>();
  for (const s of steps) {
    if (s.materialized || !specs.has(s.asset)) continue;
    byAsset.set(s.asset, [...(byAsset.get(s.asset) ?? []), s]);
  }
  const assets: AssetEstimate[] = [];
  let probeRequests = 0;
  for (const [asset, list] of byAsset) {
    const spec = specs.get(asset)!;
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
    } else if (cap !== undefined) {
      assets.push({ ...base, requests: cap * list.length, basis: 'page cap' });
    } else {
      const items = await inputs.probeCount(spec, null, null);
      probeRequests++;
      assets.push({ ...base, requests: Math.max(1, Math.ceil(items / pageSize)) * list.length, basis: 'probe' });
    }
  }
  const bySource: Record<string, number> = {};
  for (const a of assets) bySource[a.source] = (bySource[a.source] ?? 0) + a.requests;
  return { bySource, total: assets.reduce((n, a) => n + a.requests, 0), assets, probeRequests };
}
