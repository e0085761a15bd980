import { BudgetError, type Logger } from '../../core/index.js';
import { createObjectStore, readIntactManifest, type ObjectStore } from '../../lake/index.js';
import { INGESTION_SPECS, createSourceClient } from '../definitions/index.js';
import type { Step } from '../execute/index.js';
import type { StateStore } from '../state/index.js';
import type { Workspace } from '../commands/workspace.js';
import { estimateRequests, type RequestEstimate } from './estimate-requests.js';

export interface BudgetStatus {
  source: string;
  usage: { day: number; month: number };
  limits: { perMonth: number; perDay?: number };
  /** Requests still allowed now: the tighter of the day's and the month's remainder. */
  remaining: number;
}

export interface BudgetPlan {
  estimate: RequestEstimate;
  budgets: BudgetStatus[];
  /** True when every source's estimate fits its remaining budget. */
  fits: boolean;
}

/** The ledger's view of every source's budget at the workspace clock. */
export async function budgetStatus(ws: Workspace, state: StateStore): Promise<BudgetStatus[]> {
  const at = ws.clock.now().toISOString();
  const limits = ws.config.rawg.budget;
  const usage = await state.requestUsage('rawg', at);
  const monthLeft = limits.perMonth - usage.month;
  const dayLeft = limits.perDay === undefined ? Number.POSITIVE_INFINITY : limits.perDay - usage.day;
  return [{ source: 'rawg', usage, limits, remaining: Math.max(0, Math.min(monthLeft, dayLeft)) }];
}

/**
 * Estimates what a plan would spend and compares it with each source's remaining budget. Probes
 * (one request each, charged) only when the recorded history cannot answer.
 */
export async function planBudget(ws: Workspace, state: StateStore, steps: readonly Step[], logger: Logger): Promise<BudgetPlan> {
  const client = createSourceClient({ source: 'rawg', config: ws.config, state, clock: ws.clock, logger });
  let lake: ObjectStore | undefined;
  const estimate = await estimateRequests(steps, INGESTION_SPECS, {
    snapshotMaxPages: ws.config.rawg.snapshotMaxPages,
    history: async (asset) =>
      (await state.listMaterializations({ asset }))
        .filter((m) => m.status === 'succeeded' && m.requests !== null)
        .reverse()
        .map((m) => m.requests!),
    committedRecords: async (source, entity, dt) => {
      lake ??= await createObjectStore(ws.config.lake);
      return (await readIntactManifest(lake, source, entity, dt))?.records;
    },
    probeCount: async (spec, from, to) => {
      const params: Record<string, string | number> = { ...spec.params, page: 1, page_size: 1 };
      if (spec.partition.type === 'daily' && from !== null) params[spec.partition.param] = `${from},${to}`;
      const res = await client.getJson<{ count?: number }>(spec.path, params);
      return Number(res.body.count ?? 0);
    },
  });
  const budgets = await budgetStatus(ws, state);
  const fits = budgets.every((b) => (estimate.bySource[b.source] ?? 0) <= b.remaining);
  return { estimate, budgets, fits };
}

/** Throws BudgetError when the plan would need more requests than remain, saying how many. */
export function assertFits(plan: BudgetPlan): void {
  if (plan.fits) return;
  const over = plan.budgets.filter((b) => (plan.estimate.bySource[b.source] ?? 0) > b.remaining);
  const parts = over.map((b) => `${b.source} needs ~${plan.estimate.bySource[b.source]} requests but ${b.remaining} remain`);
  throw new BudgetError(`the plan exceeds the request budget: ${parts.join('; ')}`, {
    hint: 'narrow the range (--from/--to), wait for the budget to renew, or raise RAWG_BUDGET_PER_MONTH / RAWG_BUDGET_PER_DAY',
  });
}
