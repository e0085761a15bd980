import { BudgetError, type Logger } from '../core/index.js';
import { createObjectStore, readIntactManifest, type ObjectStore } from '../lake/index.js';
import { createSourceClient, estimateRequests, INGESTION_SPECS, ledgerKeyOf, parseLedgerKey, type RequestEstimate, type StateStore, type Step } from '../orchestration/index.js';
import type { Workspace } from './workspace.js';

export interface BudgetStatus {
  source: string;
  /** The endpoint whose ledger this is: a base URL, or `sandbox` (the demo's built-in one). */
  endpoint: string;
  /** The endpoint the configuration points at now (the others are ledgers of earlier runs). */
  inUse: boolean;
  usage: { day: number; month: number };
  limits: { perMonth: number; perDay?: number };
  /** Requests still allowed now: the tighter of the day's and the month's remainder. */
  remaining: number;
}

export interface BudgetPlan {
  estimate: RequestEstimate;
  /** The ledgers the plan spends from: the configured endpoint of each source. */
  budgets: BudgetStatus[];
  /** True when every source's estimate fits its remaining budget. */
  fits: boolean;
}

const SOURCES = ['rawg'] as const;

function statusOf(ws: Workspace, key: string, usage: { day: number; month: number }, inUse: boolean): BudgetStatus {
  const limits = ws.config.rawg.budget;
  const monthLeft = limits.perMonth - usage.month;
  const dayLeft = limits.perDay === undefined ? Number.POSITIVE_INFINITY : limits.perDay - usage.day;
  return { ...parseLedgerKey(key), inUse, usage, limits, remaining: Math.max(0, Math.min(monthLeft, dayLeft)) };
}

/** The ledger of each source's configured endpoint at the workspace clock. */
export async function budgetStatus(ws: Workspace, state: StateStore): Promise<BudgetStatus[]> {
  const at = ws.clock.now().toISOString();
  return Promise.all(SOURCES.map(async (source) => {
    const key = ledgerKeyOf(source, ws.config);
    return statusOf(ws, key, await state.requestUsage(key, at), true);
  }));
}

/**
 * Every ledger with requests this month, plus the configured endpoints' (even when unused): what
 * `gmp budget` shows. The configured limits apply to each endpoint's ledger separately.
 */
export async function allBudgets(ws: Workspace, state: StateStore | undefined): Promise<BudgetStatus[]> {
  const at = ws.clock.now().toISOString();
  const inUse = new Set(SOURCES.map((s) => ledgerKeyOf(s, ws.config)));
  const usage = new Map((state ? await state.listRequestUsage(at) : []).map((u) => [u.source, { day: u.day, month: u.month }]));
  for (const key of inUse) if (!usage.has(key)) usage.set(key, { day: 0, month: 0 });
  return [...usage]
    .map(([key, u]) => statusOf(ws, key, u, inUse.has(key)))
    .sort((a, b) => Number(b.inUse) - Number(a.inUse) || a.source.localeCompare(b.source) || a.endpoint.localeCompare(b.endpoint));
}

/**
 * Estimates what a plan would spend and compares it with the remaining budget of each source's
 * endpoint. Count probes (one request each, charged) cover the days the lake holds nothing for.
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
    committed: async (source, entity, dt) => {
      lake ??= await createObjectStore(ws.config.lake);
      const manifest = await readIntactManifest(lake, source, entity, dt);
      return manifest && { items: manifest.records + manifest.invalid_records, pages: manifest.pages };
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
  const parts = over.map((b) => `${b.source} (${b.endpoint}) needs ~${plan.estimate.bySource[b.source]} requests but ${b.remaining} remain`);
  throw new BudgetError(`the plan exceeds the request budget: ${parts.join('; ')}`, {
    hint: 'narrow the range (--from/--to), wait for the budget to renew, or raise RAWG_BUDGET_PER_MONTH / RAWG_BUDGET_PER_DAY',
  });
}
