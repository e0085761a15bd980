import { summarizePlan, type PlanAssetSummary, type Step } from '../execute/index.js';
import { selectAssets } from '../selection/index.js';
import { prepareRun } from './materialize.js';
import type { MaterializeRequest } from './run-request.js';
import { succeededPartitions } from './recorded-state.js';
import type { Workspace } from './workspace.js';

export interface PlanReport {
  steps: Step[];
  assets: PlanAssetSummary[];
  /** Steps that would execute. */
  toRun: number;
  /** Steps already materialized: skipped when `skipMaterialized`, re-run otherwise. */
  materialized: number;
}

/**
 * The plan a request would execute, against recorded state, without executing or writing
 * anything (`--dry-run`).
 */
export async function planMaterialize(
  ws: Workspace,
  request: MaterializeRequest,
  options: { force?: boolean } = {},
): Promise<PlanReport> {
  const assets = selectAssets(ws.graph, request.select, request.exclude);
  const succeeded = await succeededPartitions(ws, assets);
  const { steps } = prepareRun(ws, request, { succeeded, force: options.force });
  const summary = summarizePlan(steps);
  return {
    steps,
    assets: summary,
    toRun: summary.reduce((n, a) => n + a.toRun, 0),
    materialized: summary.reduce((n, a) => n + a.materialized, 0),
  };
}
