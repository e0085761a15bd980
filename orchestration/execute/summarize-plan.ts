import type { AssetKind } from '../../core/index.js';
import type { Step } from './plan-run.js';

export interface PlanAssetSummary {
  asset: string;
  kind: AssetKind;
  /** Partition steps (a range step counts each partition it covers), as `gmp runs` counts them. */
  steps: number;
  /** First..last partition planned, or null for an unpartitioned asset. */
  from: string | null;
  to: string | null;
  /** Steps already materialized (skipped unless forced). */
  materialized: number;
  toRun: number;
}

/** Per-asset counts of a plan, in plan order: what a dry run prints. */
export function summarizePlan(steps: readonly Step[], kindOf: (asset: string) => AssetKind): PlanAssetSummary[] {
  const byAsset = new Map<string, PlanAssetSummary>();
  for (const s of steps) {
    let row = byAsset.get(s.asset);
    if (!row) {
      row = { asset: s.asset, kind: kindOf(s.asset), steps: 0, from: null, to: null, materialized: 0, toRun: 0 };
      byAsset.set(s.asset, row);
    }
    const keys = s.range ?? (s.partition === null ? [] : [s.partition]);
    const n = Math.max(1, keys.length);
    row.steps += n;
    for (const k of keys) {
      if (row.from === null || k < row.from) row.from = k;
      if (row.to === null || k > row.to) row.to = k;
    }
    if (s.materialized) row.materialized += n;
    else row.toRun += n;
  }
  return [...byAsset.values()];
}
