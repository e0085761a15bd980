import { randomBytes } from 'node:crypto';
import { ConfigError, sleepOn, type Clock, type Logger } from '../../core/index.js';
import { openRunLogger, openStateStore, type Workspace } from '../workspace.js';
import { catchUpBaselines, createScheduleTickLog, type DaemonRecord, DEFAULT_MAX_CATCH_UP, DEFAULT_SCHEDULES, dueTicks, nextTick, ownerId, type ScheduleDefinition, selectAssets, validateSchedules } from '../../orchestration/index.js';
import { runTick, type TickOutcome } from './run-tick.js';
import { deliverDueReports } from '../dashboards/index.js';
import { checkAlerts } from '../alerts/index.js';

export type DaemonEvent =
  | { type: 'started'; at: string; owner: string; schedules: { schedule: string; cron: string; nextTick: string | null }[] }
  | { type: 'tick-skipped'; at: string; schedule: string; tick: string; reason: 'catch-up-bound' | 'taken' | 'done' }
  | { type: 'tick-started'; at: string; schedule: string; tick: string; runId: string; select: string; exclude?: string; partitions: string }
  | { type: 'tick-finished'; at: string; schedule: string; tick: string; runId: string | null; status: 'succeeded' | 'failed' | 'canceled'; error: string | null; durationMs: number }
  /** Emitted when the upcoming tick changes, not on every poll. */
  | { type: 'waiting'; at: string; schedule: string | null; nextTick: string | null }
  /** A pass failed outside any run (state store unreachable…); the daemon retries after `retryInMs`. */
  | { type: 'error'; at: string; message: string; retryInMs: number }
  /** A dashboard page delivered to its webhook (front matter `deliver:`), or not. */
  | { type: 'report-delivered'; at: string; dashboard: string; tick: string; httpStatus: number | null }
  | { type: 'report-failed'; at: string; dashboard: string; tick: string; error: string | null }
  /** An alert rule started firing or resolved; `delivered` says where the notice went (`failed`: retried next loop). */
  | { type: 'alert-firing' | 'alert-resolved'; at: string; alert: string; text: string; delivered: 'webhook' | 'log' | 'failed'; error: string | null }
  /** The alert rules could not be read (a bad alerts.yml): schedules go on, alerts wait for a fix. */
  | { type: 'alerts-invalid'; at: string; message: string }
  | { type: 'stopping'; at: string }
  | { type: 'stopped'; at: string };

/** How often a running daemon records that it is alive; silent for 3 of these reads as gone. */
export const DAEMON_HEARTBEAT_MS = 30_000;

export interface DaemonOptions {
  /** Shutdown: no tick starts after it; a running one gets `graceMs` to finish, then is canceled. */
  signal?: AbortSignal;
  /** Defaults to the workspace's clock; runs use the same one. */
  clock?: Clock;
  schedules?: readonly ScheduleDefinition[];
  /** Longest sleep between looks at the state store (other daemons' ticks, clock jumps). Default 60 s. */
  pollMs?: number;
  /** Missed ticks run per schedule after downtime; older ones are skipped. Default 3. */
  maxCatchUp?: number;
  /** Run what is due now and return (tests, cron-driven deployments). */
  once?: boolean;
  /** Default 30 s. */
  graceMs?: number;
  onEvent?: (event: DaemonEvent) => void;
  /** Where report webhooks are looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface DaemonSummary {
  /** Every tick this daemon ran or looked at and passed over, in order. */
  ticks: TickOutcome[];
  skipped: { schedule: string; tick: string }[];
}

/**
 * Runs schedules until `signal` fires (or once): on each wake-up computes the due ticks from the
 * state store (catch-up bounded by `maxCatchUp`; a fresh state starts from now), runs them oldest
 * first through runTick, then sleeps until the next tick or `pollMs`. Throws only on a failure to
 * start (bad schedules, no API key, state store unreachable); failed ticks are recorded and the
 * loop goes on.
 */
export async function runDaemon(ws: Workspace, options: DaemonOptions = {}): Promise<DaemonSummary> {
  const clock = options.clock ?? ws.clock;
  const workspace: Workspace = clock === ws.clock ? ws : { ...ws, clock };
  const schedules = options.schedules ?? DEFAULT_SCHEDULES;
  const stop = options.signal ?? new AbortController().signal;
  const pollMs = options.pollMs ?? 60_000;
  const maxCatchUp = options.maxCatchUp ?? DEFAULT_MAX_CATCH_UP;
  // Unique per daemon, even two in one process; `host:pid` first so a dead owner can be recognized.
  const owner = ownerId(`daemon-${randomBytes(3).toString('hex')}`);
  const logger = openRunLogger(workspace).child({ daemon: owner });
  const iso = (): string => clock.now().toISOString();
  const emit = (event: DaemonEvent): void => {
    log(logger, event);
    options.onEvent?.(event);
  };

  validateSchedules(schedules, workspace.graph, clock.now());
  assertKeyIfIngesting(workspace, schedules, clock);
  const state = await openStateStore(workspace);
  const summary: DaemonSummary = { ticks: [], skipped: [] };
  let stopHeartbeat = async (): Promise<void> => undefined;
  try {
    const tickLog = createScheduleTickLog(state);
    const startedAt = clock.now();
    // Its row in the state store: the Overview shows the heartbeat, and a killed daemon's ages.
    const me: DaemonRecord = { owner, startedAt: startedAt.toISOString(), heartbeatAt: startedAt.toISOString(), stoppedAt: null, nextTick: null, once: options.once === true };
    const beat = (change: Partial<DaemonRecord> = {}): Promise<void> => {
      Object.assign(me, change, { heartbeatAt: iso() });
      // A missed heartbeat is not worth stopping schedules for: the next one will do.
      return state.recordDaemon(me).catch(() => undefined);
    };
    await beat();
    const heartbeat = setInterval(() => void beat(), DAEMON_HEARTBEAT_MS);
    heartbeat.unref();
    stopHeartbeat = async () => {
      clearInterval(heartbeat);
      await beat({ stoppedAt: iso() });
    };
    const baselines = catchUpBaselines(schedules, await tickLog.lastTicks(schedules), startedAt);
    emit({
      type: 'started', at: startedAt.toISOString(), owner,
      schedules: schedules.map((s) => ({ schedule: s.name, cron: s.cron, nextTick: nextTick(s, startedAt)?.toISOString() ?? null })),
    });
    // Ticks this daemon finished: even if the log lookup misses one (beyond the runs it scans), this loop never reruns it.
    const handled = new Map<string, Date>();
    const reported = new Set<string>();
    let announced: string | undefined;
    const pass = async (): Promise<void> => {
      const now = clock.now();
      const recorded = await tickLog.lastTicks(schedules);
      const last = new Map(schedules.map((s) => [s.name, latest(baselines.get(s.name), recorded.get(s.name), handled.get(s.name))!]));
      const due = dueTicks(schedules, last, now, maxCatchUp);
      for (const { schedule, tick } of due.skipped) {
        const id = `${schedule.name}@${tick.toISOString()}`;
        if (reported.has(id)) continue;
        reported.add(id);
        summary.skipped.push({ schedule: schedule.name, tick: tick.toISOString() });
        emit({ type: 'tick-skipped', at: iso(), schedule: schedule.name, tick: tick.toISOString(), reason: 'catch-up-bound' });
      }
      for (const { schedule, tick } of due.run) {
        if (stop.aborted) break;
        const outcome = await runTick(
          workspace,
          {
            state, log: tickLog, clock, owner, stop, graceMs: options.graceMs ?? 30_000, logger: logger.child({ schedule: schedule.name }),
            onStart: (runId, request, partitions) =>
              emit({ type: 'tick-started', at: iso(), schedule: schedule.name, tick: tick.toISOString(), runId, select: request.select, ...(request.exclude ? { exclude: request.exclude } : {}), partitions }),
          },
          schedule,
          tick,
        );
        summary.ticks.push(outcome);
        if (outcome.status === 'taken' || outcome.status === 'done') {
          emit({ type: 'tick-skipped', at: iso(), schedule: schedule.name, tick: outcome.tick, reason: outcome.status });
        } else {
          emit({ type: 'tick-finished', at: iso(), schedule: schedule.name, tick: outcome.tick, runId: outcome.runId, status: outcome.status, error: outcome.error, durationMs: Math.round(outcome.durationMs) });
        }
        // A tick another daemon holds stays due: if that daemon dies, this one takes it over.
        if (outcome.status !== 'taken' && outcome.status !== 'canceled') handled.set(schedule.name, latest(handled.get(schedule.name), tick)!);
      }
      // Scheduled reports: dashboards whose front matter says deliver:.
      for (const report of await deliverDueReports(workspace, { state, clock, owner, ...(options.env ? { env: options.env } : {}), signal: stop })) {
        const { status, ...fields } = report;
        if (status === 'delivered') emit({ type: 'report-delivered', at: iso(), dashboard: fields.dashboard, tick: fields.tick, httpStatus: fields.httpStatus });
        else emit({ type: 'report-failed', at: iso(), dashboard: fields.dashboard, tick: fields.tick, error: fields.error });
      }
      // Alert rules (alerts.yml): a notice when one starts firing, one when it resolves.
      if (!stop.aborted) {
        try {
          const { notices } = await checkAlerts(workspace, { ...(options.env ? { env: options.env } : {}), signal: stop });
          for (const n of notices) emit({ type: n.kind === 'firing' ? 'alert-firing' : 'alert-resolved', at: iso(), alert: n.alert, text: n.text, delivered: n.delivered, error: n.error });
        } catch (error) {
          emit({ type: 'alerts-invalid', at: iso(), message: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    while (!stop.aborted) {
      try {
        await pass();
      } catch (error) {
        if (options.once) throw error;
        // The state store may be briefly unreachable (a Postgres restart): wait and try again rather than die.
        emit({ type: 'error', at: iso(), message: error instanceof Error ? error.message : String(error), retryInMs: pollMs });
        await sleepOn(clock, pollMs, stop);
        continue;
      }
      if (options.once || stop.aborted) break;
      const after = clock.now();
      const next = schedules
        .map((s) => ({ schedule: s.name, at: nextTick(s, after) }))
        .filter((n): n is { schedule: string; at: Date } => n.at !== null)
        .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
      const waitMs = Math.min(pollMs, next ? Math.max(0, next.at.getTime() - after.getTime()) : pollMs);
      const upcoming = next ? `${next.schedule}@${next.at.toISOString()}` : '';
      if (upcoming !== announced) {
        announced = upcoming;
        emit({ type: 'waiting', at: after.toISOString(), schedule: next?.schedule ?? null, nextTick: next?.at.toISOString() ?? null });
        await beat({ nextTick: upcoming || null });
      }
      // On the daemon's clock (a test's manual clock moves it); a stop wakes it at once.
      await sleepOn(clock, waitMs, stop);
    }
    if (stop.aborted) emit({ type: 'stopping', at: iso() });
  } finally {
    await stopHeartbeat();
    await state.close();
  }
  emit({ type: 'stopped', at: iso() });
  return summary;
}

/** Refuses to start without a key when a schedule would call the API: every tick would fail. */
function assertKeyIfIngesting(ws: Workspace, schedules: readonly ScheduleDefinition[], clock: Clock): void {
  if (ws.config.rawg.apiKey !== undefined) return;
  const ingesting = schedules.filter((s) => {
    const target = s.target(nextTick(s, clock.now()) ?? clock.now());
    return selectAssets(ws.graph, target.select, target.exclude).some((k) => ws.graph.get(k).kind === 'ingestion');
  });
  if (ingesting.length > 0) {
    throw new ConfigError(`RAWG_API_KEY is not set, and schedule ${ingesting.map((s) => s.name).join(', ')} fetches from the RAWG API`, {
      hint: 'set RAWG_API_KEY (free key at https://rawg.io/apidocs) in .env or the environment of the daemon',
    });
  }
}

function latest(...dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((a, b) => (b === undefined ? a : a === undefined || b > a ? b : a), undefined);
}

function log(logger: Logger, event: DaemonEvent): void {
  const { type, ...fields } = event;
  const failed = event.type === 'error' || event.type === 'report-failed' || event.type === 'alerts-invalid' || (event.type === 'tick-finished' && event.status === 'failed') || (event.type === 'alert-firing' && event.delivered === 'failed');
  const level = failed ? 'error' : event.type === 'alert-firing' || (event.type === 'tick-skipped' && event.reason === 'catch-up-bound') ? 'warn' : 'info';
  logger[level]({ event: type, ...fields }, `daemon ${type}`);
}
