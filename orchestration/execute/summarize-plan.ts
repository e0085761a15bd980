import type { Step } from './plan-run.js';

export interface PlanAssetSummary {
  asset: string;
  steps: number;
  /** First..last partition planned, or null for an unpartitioned asset. */
  from: string | null;
  to: string | null;
  /** Steps already materialized (skipped unless forced). */
  materialized: number;
  toRun: number;
}

/** Per-asset counts of a plan, in plan order: what a dry run prints. */
export function summarizePlan(steps: readonly Step[]): PlanAssetSummary[] {
  const byAsset = new Map<string, PlanAssetSummary>();
  for (const s of steps) {
    let row = byAsset.get(s.asset);
    if (!row) {
      row = { asset: s.asset, steps: 0, from: s.partition, to: s.partition, materialized: 0, toRun: 0 };
      byAsset.set(s.asset, row);
    }
    row.steps++;
    if (s.partition !== null) {
      if (row.from === null || s.partition < row.from) row.from = s.partition;
      if (row.to === null || s.partition > row.to) row.to = s.partition;
    }
    if (s.materialized) row.materialized++;
    else row.toRun++;
  }
  return [...byAsset.values()];
}
