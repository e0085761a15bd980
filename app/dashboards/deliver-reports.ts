import { nextTick, type StateStore } from '../../orchestration/index.js';
import type { Clock } from '../../core/index.js';
import type { Workspace } from '../workspace.js';
import { deliverDashboard } from './export-dashboard.js';
import { listDashboards } from './run-dashboard.js';

export interface ReportOutcome {
  dashboard: string;
  tick: string;
  status: 'delivered' | 'failed';
  /** HTTP status of the receiver when it answered. */
  httpStatus: number | null;
  error: string | null;
}

/** A delivered tick is remembered this long (as a lease nobody renews): longer than any cron's period. */
const DELIVERED_TTL_MS = 400 * 24 * 3600 * 1000;
const LOOK_BACK_MS = [60_000, 3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000];

/** The newest tick of `cron` at or before `now`, or null when it never ticked in the last year. */
export function latestTick(cron: string, now: Date): Date | null {
  for (const back of LOOK_BACK_MS) {
    let tick = nextTick({ cron }, new Date(now.getTime() - back));
    if (!tick || tick > now) continue;
    for (let next = nextTick({ cron }, tick); next && next <= now; next = nextTick({ cron }, next)) tick = next;
    return tick;
  }
  return null;
}

/**
 * Delivers each page whose front matter says `deliver:` and whose latest tick nobody delivered yet
 * (one daemon per tick, among all sharing the state store: the tick's lease, never released, is
 * the record). A page missed while no daemon ran is delivered once, for its latest tick only.
 */
export async function deliverDueReports(ws: Workspace, ctx: { state: StateStore; clock: Clock; owner: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<ReportOutcome[]> {
  const env = ctx.env ?? process.env;
  const outcomes: ReportOutcome[] = [];
  for (const { dashboard, problems } of await listDashboards(ws)) {
    if (!dashboard.delivery || problems.length > 0 || ctx.signal?.aborted) continue;
    const now = ctx.clock.now();
    const tick = latestTick(dashboard.delivery.cron, now);
    if (!tick) continue;
    if (!(await ctx.state.tryAcquireLock(`report:${dashboard.name}:${tick.toISOString()}`, ctx.owner, DELIVERED_TTL_MS, now.toISOString()))) continue;
    const outcome = { dashboard: dashboard.name, tick: tick.toISOString() };
    const url = env[dashboard.delivery.webhookEnv];
    if (!url) {
      outcomes.push({ ...outcome, status: 'failed', httpStatus: null, error: `${dashboard.delivery.webhookEnv} is not set: the page names it as its webhook (deliver: webhook_env)` });
      continue;
    }
    try {
      const delivery = await deliverDashboard(ws, dashboard.name, url, ctx.signal ? { signal: ctx.signal } : {});
      outcomes.push({ ...outcome, status: 'delivered', httpStatus: delivery.status, error: null });
    } catch (error) {
      outcomes.push({ ...outcome, status: 'failed', httpStatus: null, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
