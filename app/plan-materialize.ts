import { silentLogger } from '../core/index.js';
import { planBudget, type BudgetPlan } from './budget-gate.js';
import { type PlanAssetSummary, selectAssets, type Step, summarizePlan } from '../orchestration/index.js';
import { planCallsApi, prepareRun } from './materialize.js';
import { succeededPartitions } from './recorded-state.js';
import type { MaterializeRequest } from './run-request.js';
import { openStateStore, type Workspace } from './workspace.js';

export interface PlanReport {
  steps: Step[];
  assets: PlanAssetSummary[];
  /** Partition steps that would execute. */
  toRun: number;
  /** Steps already up to date: skipped by a backfill (unless forced), re-run by materialize. */
  materialized: number;
  /** Estimated API requests against the remaining budget; absent when nothing calls the API. */
  budget?: BudgetPlan;
}

/**
 * The plan a request would execute, against recorded state, without executing it (`--dry-run`).
 * Estimating requests may cost a probe request (charged to the budget) when history cannot tell.
 * With `forMaterialize`, up-to-date steps count as work (materialize re-runs them).
 */
export async function planMaterialize(
  ws: Workspace,
  request: MaterializeRequest,
  options: { force?: boolean; forMaterialize?: boolean } = {},
): Promise<PlanReport> {
  const assets = selectAssets(ws.graph, request.select, request.exclude);
  const succeeded = await succeededPartitions(ws, assets);
  const { steps } = prepareRun(ws, request, { succeeded, force: options.force });
  const summary = summarizePlan(steps, (asset) => ws.graph.get(asset).kind);
  const report: PlanReport = {
    steps,
    assets: summary,
    toRun: summary.reduce((n, a) => n + a.toRun, 0),
    materialized: summary.reduce((n, a) => n + a.materialized, 0),
  };
  const work = options.forMaterialize ? steps.map((s) => ({ ...s, materialized: false })) : steps;
  if (ws.config.rawg.apiKey !== undefined && planCallsApi(ws, work)) {
    const state = await openStateStore(ws);
    try {
      report.budget = await planBudget(ws, state, work, silentLogger);
    } finally {
      await state.close();
    }
  }
  return report;
}
