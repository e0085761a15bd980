import type { PartitionKey } from '../../core/index.js';
import type { DetailSpec, EndpointSpec } from '../../ingestion/index.js';
import type { Step } from '../execute/index.js';
import { expectedPages } from './expected-pages.js';
import { probeWindows } from './probe-windows.js';

/** Where an asset's estimate comes from, most trusted first. */
export type EstimateBasis =
  /** The lake's committed items of the same partitions (a re-run lists about as many). */
  | 'recorded items'
  /** A count probe (one request with page_size=1) over the partitions' date range. */
  | 'probe'
  /** What the asset's recent runs spent (snapshots: their size does not depend on a date range). */
  | 'history'
  /** The configured page cap of a large snapshot list. */
  | 'page cap'
  /** Items of the parent partitions (listed or estimated) less the details already committed. */
  | 'parent items'
  /** Nothing better was available (a probe failed): recent partitions' average, a wide range. */
  | 'recent partitions'
  | 'default';

export interface AssetEstimate {
  asset: string;
  source: string;
  steps: number;
  /** The point estimate. */
  requests: number;
  /** The range the spend is expected in (equal to `requests` when the basis is exact). */
  low: number;
  high: number;
  /** Each basis used, with the steps it covers (e.g. recorded items for 7 days, a probe for 84). */
  basis: { basis: EstimateBasis; steps: number }[];
  /** Why the estimate fell back (a failed probe), when it did. */
  note?: string;
}

export interface RequestEstimate {
  /** Requests the plan would send, per source (point estimates). */
  bySource: Record<string, number>;
  total: number;
  low: number;
  high: number;
  assets: AssetEstimate[];
  /** Requests already spent on probes to make this estimate. */
  probeRequests: number;
}

/** What the lake committed for a partition: items listed (valid or not) and pages fetched. */
export interface CommittedCount {
  items: number;
  pages: number;
}

export interface EstimateInputs {
  /** Requests of recent successful materializations of an asset (newest first). */
  history: (asset: string) => Promise<number[]>;
  /** Items the API reports for an endpoint over [from, to] (one request, page_size=1). */
  probeCount: (spec: EndpointSpec, from: PartitionKey | null, to: PartitionKey | null) => Promise<number>;
  snapshotMaxPages: number;
  /** What the lake holds committed for a partition of an entity, if anything. */
  committed?: (source: string, entity: string, dt: PartitionKey) => Promise<CommittedCount | undefined>;
}

const DEFAULT_PER_DAY = 10;

/**
 * Estimates the API requests of the ingestion steps a plan would execute, from what predicts each
 * partition: the lake's recorded items of the same day when it holds them, else a count probe
 * over the days' own date range (one request per window of about a month, so a skewed year is
 * seen month by month), turned into pages by the expected number of pages of a day with that
 * many items. Never extrapolates one period's history to another. Snapshots use their own recent
 * runs, the page cap, or a probe. Detail endpoints (one request per item of a parent partition)
 * cost the parent's items less the details already committed. A probe that fails falls back to
 * the recent partitions' average with a wide range, and says so in `note`.
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
  /** Items each partition of a list endpoint is expected to list: what its detail endpoints fetch. */
  const itemsByDay = new Map<string, Map<PartitionKey, number>>();
  let probeRequests = 0;
  const probe: EstimateInputs['probeCount'] = (spec, from, to) => {
    probeRequests++;
    return inputs.probeCount(spec, from, to);
  };
  for (const [asset, list] of byAsset) {
    const spec = specs.get(asset)!;
    if ('parent' in spec) {
      details.push([asset, spec, list]);
      continue;
    }
    if (spec.partition.type === 'daily') {
      const { estimate, items } = await estimateDaily(asset, spec, list, inputs, probe);
      assets.push(estimate);
      itemsByDay.set(asset, items);
    } else {
      assets.push(await estimateSnapshot(asset, spec, list, inputs, probe));
    }
  }
  for (const [asset, spec, list] of details) {
    const listed = itemsByDay.get(`${spec.source}/${spec.parent.entity}`);
    let requests = 0;
    for (const step of list) {
      const dt = step.partition!;
      const items = listed?.get(dt) ?? (await inputs.committed?.(spec.source, spec.parent.entity, dt))?.items ?? 0;
      const known = (await inputs.committed?.(spec.source, spec.entity, dt))?.items ?? 0;
      requests += Math.max(0, items - known) * spec.requestCost;
    }
    const n = Math.round(requests);
    assets.push({ asset, source: spec.source, steps: list.length, requests: n, low: n, high: n, basis: [{ basis: 'parent items', steps: list.length }] });
  }
  // A detail estimate built on estimated parents inherits their uncertainty.
  for (const a of assets) {
    const spec = specs.get(a.asset)!;
    if (!('parent' in spec)) continue;
    const parent = assets.find((p) => p.asset === `${spec.source}/${spec.parent.entity}`);
    if (parent === undefined || parent.high === parent.low) continue;
    const spread = (parent.high - parent.low) / Math.max(1, parent.requests);
    a.low = Math.round(a.requests * Math.max(0, 1 - spread));
    a.high = Math.round(a.requests * (1 + spread));
  }
  const bySource: Record<string, number> = {};
  for (const a of assets) bySource[a.source] = (bySource[a.source] ?? 0) + a.requests;
  const sum = (f: (a: AssetEstimate) => number) => assets.reduce((n, a) => n + f(a), 0);
  return { bySource, total: sum((a) => a.requests), low: sum((a) => a.low), high: sum((a) => a.high), assets, probeRequests };
}

async function estimateDaily(
  asset: string,
  spec: EndpointSpec,
  list: readonly Step[],
  inputs: EstimateInputs,
  probe: EstimateInputs['probeCount'],
): Promise<{ estimate: AssetEstimate; items: Map<PartitionKey, number> }> {
  const pageSize = spec.paginator.pageSize;
  const items = new Map<PartitionKey, number>();
  const recorded = new Map<PartitionKey, CommittedCount>();
  let requests = 0;
  let low = 0;
  let high = 0;
  const basis: AssetEstimate['basis'] = [];
  for (const step of list) {
    const c = await inputs.committed?.(spec.source, spec.entity, step.partition!);
    if (c === undefined) continue;
    recorded.set(step.partition!, c);
    items.set(step.partition!, c.items);
    const pages = Math.max(1, Math.ceil(c.items / pageSize));
    requests += pages;
    low += pages;
    high += pages;
  }
  if (recorded.size > 0) basis.push({ basis: 'recorded items', steps: recorded.size });
  const unknown = list.map((s) => s.partition!).filter((k) => !recorded.has(k)).sort();
  let note: string | undefined;
  if (unknown.length > 0) {
    try {
      for (const w of probeWindows(unknown)) {
        // The probe counts the window's recorded days too: their items are known, so take them out.
        const counted = await probe(spec, w.from, w.to);
        const knownInside = [...recorded].filter(([k]) => k >= w.from && k <= w.to).reduce((n, [, c]) => n + c.items, 0);
        const n = Math.max(0, counted - knownInside);
        const perDay = n / w.keys.length;
        for (const k of w.keys) items.set(k, perDay);
        requests += w.keys.length * expectedPages(perDay, pageSize);
        // Every day costs at least a page, and at most a page more than its items fill.
        low += Math.max(w.keys.length, Math.ceil(n / pageSize));
        high += w.keys.length + Math.floor(n / pageSize);
      }
      basis.push({ basis: 'probe', steps: unknown.length });
    } catch (error) {
      note = `the count probe failed (${error instanceof Error ? error.message : String(error)})`;
      const history = (await inputs.history(asset)).slice(0, 30);
      const [mean, min, max] = history.length > 0
        ? [history.reduce((a, b) => a + b, 0) / history.length, Math.min(...history), Math.max(...history)]
        : [DEFAULT_PER_DAY, 1, DEFAULT_PER_DAY * 10];
      requests += mean * unknown.length;
      low += Math.max(1, min) * unknown.length;
      high += Math.max(max * 10, mean) * unknown.length;
      basis.push({ basis: history.length > 0 ? 'recent partitions' : 'default', steps: unknown.length });
    }
  }
  const estimate: AssetEstimate = {
    asset,
    source: spec.source,
    steps: list.length,
    requests: Math.round(requests),
    low: Math.round(Math.min(low, requests)),
    high: Math.round(Math.max(high, requests)),
    basis,
    ...(note ? { note } : {}),
  };
  return { estimate, items };
}

async function estimateSnapshot(
  asset: string,
  spec: EndpointSpec,
  list: readonly Step[],
  inputs: EstimateInputs,
  probe: EstimateInputs['probeCount'],
): Promise<AssetEstimate> {
  const base = { asset, source: spec.source, steps: list.length };
  const exact = (requests: number, basis: EstimateBasis): AssetEstimate => ({ ...base, requests, low: requests, high: requests, basis: [{ basis, steps: list.length }] });
  const cap = spec.paginator.maxPages === 'config' ? inputs.snapshotMaxPages : spec.paginator.maxPages;
  const [last] = await inputs.history(asset);
  if (last !== undefined) return exact((cap === undefined ? last : Math.min(last, cap)) * list.length, 'history');
  if (cap !== undefined) return exact(cap * list.length, 'page cap');
  try {
    const items = await probe(spec, null, null);
    return exact(Math.max(1, Math.ceil(items / spec.paginator.pageSize)) * list.length, 'probe');
  } catch (error) {
    return { ...exact(list.length, 'default'), high: list.length * 10, note: `the count probe failed (${error instanceof Error ? error.message : String(error)})` };
  }
}
