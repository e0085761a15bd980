import { sleepOn, type Clock, type Logger } from '../../core/index.js';
import { executePrepared } from '../execute-prepared.js';
import { assertCanIngest, planCallsApi, prepareRun } from '../materialize.js';
import { assertReachable } from '../preflight.js';
import { describePartitions, newRunId, type MaterializeRequest, type PreparedRun } from '../run-request.js';
import { ownerId, ownerIsDeadLocally, type ScheduleDefinition, type ScheduleTickLog, type StateStore } from '../../orchestration/index.js';
import type { Workspace } from '../workspace.js';

export type TickStatus = 'succeeded' | 'failed' | 'canceled' | 'taken' | 'done';

export interface TickOutcome {
  schedule: string;
  /** ISO instant of the tick. */
  tick: string;
  /** `taken`: another daemon holds the tick; `done`: it was already done (here or elsewhere). */
  status: TickStatus;
  runId: string | null;
  request: MaterializeRequest;
  partitions: string;
  error: string | null;
  durationMs: number;
}

export interface TickContext {
  state: StateStore;
  log: ScheduleTickLog;
  clock: Clock;
  /** Lease owner of this daemon, `host:pid:daemon-<id>`. */
  owner: string;
  /** Fired on shutdown: the run then gets `graceMs` to finish before it is canceled. */
  stop: AbortSignal;
  graceMs: number;
  logger: Logger;
  /** Called once the run id is known, before anything executes. */
  onStart?: (runId: string, request: MaterializeRequest, partitions: string) => void;
}

const LEASE_TTL_MS = 30_000;

/** The lease that makes one daemon, among all sharing the state store, run a given tick. */
function tickLeaseName(schedule: string, tick: Date): string {
  return `schedule:${schedule}:${tick.toISOString()}`;
}

/**
 * Runs one tick through the normal path (prepareRun + executePrepared, `kind: schedule:<name>`)
 * under a lease named `schedule:<name>:<tick>`: a daemon that cannot take it, or finds the tick
 * done once it holds it, skips. A failure (even before the run starts) is recorded as a failed
 * run and marks the tick done; a canceled run leaves the tick due for the next daemon.
 */
export async function runTick(ws: Workspace, ctx: TickContext, schedule: ScheduleDefinition, tick: Date): Promise<TickOutcome> {
  const { state, clock } = ctx;
  const t0 = performance.now();
  const request: MaterializeRequest = { ...schedule.target(tick), kind: `schedule:${schedule.name}` };
  const outcome = (status: TickStatus, runId: string | null, partitions: string, error: string | null = null): TickOutcome => ({
    schedule: schedule.name, tick: tick.toISOString(), status, runId, request, partitions, error, durationMs: performance.now() - t0,
  });
  const lease = tickLeaseName(schedule.name, tick);
  const acquire = (): Promise<boolean> => state.tryAcquireLock(lease, ctx.owner, LEASE_TTL_MS, clock.now().toISOString());
  if (!(await acquire()) && !((await freeIfOwnerDied(state, lease, clock)) && (await acquire()))) return outcome('taken', null, '-');
  const renew = setInterval(() => void state.renewLocks(ctx.owner, LEASE_TTL_MS, clock.now().toISOString()).catch(() => undefined), LEASE_TTL_MS / 3);
  renew.unref();
  try {
    // Checked under the lease: a daemon that held it before us has recorded the tick by now.
    const last = (await ctx.log.lastTicks([schedule])).get(schedule.name);
    if (last !== undefined && last >= tick) return outcome('done', null, '-');

    let prepared: PreparedRun;
    try {
      prepared = prepareRun(ws, request);
      assertCanIngest(ws, prepared.steps);
      if (planCallsApi(ws, prepared.steps)) await assertReachable(ws.config.rawg.baseUrl);
    } catch (error) {
      const runId = newRunId(clock);
      const message = errorMessage(error);
      ctx.onStart?.(runId, request, partitionsOf(request));
      await recordFailedRun(ctx, runId, request, partitionsOf(request), message);
      await ctx.log.record(runId, schedule.name, tick, clock.now());
      return outcome('failed', runId, partitionsOf(request), message);
    }
    const partitions = describePartitions(prepared.partitions);
    ctx.onStart?.(prepared.runId, request, partitions);

    const cancel = new AbortController();
    // Aborted when the run ends, so a grace still running stops waiting.
    const ended = new AbortController();
    const onStop = (): void => {
      ctx.logger.warn({ schedule: schedule.name, run_id: prepared.runId, grace_ms: ctx.graceMs }, 'shutdown: letting the running tick finish within the grace period');
      // The grace passes on the daemon's clock, as its sleeps do.
      void sleepOn(clock, ctx.graceMs, ended.signal).then(() => {
        if (!ended.signal.aborted) cancel.abort();
      });
    };
    if (ctx.stop.aborted) onStop();
    else ctx.stop.addEventListener('abort', onStop, { once: true });
    try {
      const summary = await executePrepared(ws, prepared, request, {
        state,
        signal: cancel.signal,
        logBindings: { schedule: schedule.name, tick: tick.toISOString() },
      });
      const error = summary.steps.find((s) => s.status === 'failed')?.error?.message ?? null;
      if (summary.status !== 'canceled') await ctx.log.record(prepared.runId, schedule.name, tick, clock.now());
      return outcome(summary.status === 'running' ? 'failed' : summary.status, prepared.runId, partitions, error);
    } catch (error) {
      // executePrepared failed around the steps (warehouse, lake, state): the run may be unrecorded.
      const message = errorMessage(error);
      await recordFailedRun(ctx, prepared.runId, request, partitions, message);
      await ctx.log.record(prepared.runId, schedule.name, tick, clock.now());
      return outcome('failed', prepared.runId, partitions, message);
    } finally {
      ended.abort();
      ctx.stop.removeEventListener('abort', onStop);
    }
  } finally {
    clearInterval(renew);
    await state.releaseLock(lease, ctx.owner).catch(() => undefined);
  }
}

/**
 * A daemon killed with `kill -9` on this host leaves its tick lease until the ttl runs out; a
 * daemon restarted at once (a cron job) would pass the tick over, so a dead local owner's lease
 * is freed now.
 */
async function freeIfOwnerDied(state: StateStore, name: string, clock: Clock): Promise<boolean> {
  const lock = (await state.listLocks(clock.now().toISOString())).find((l) => l.name === name);
  if (!lock) return true;
  if (!ownerIsDeadLocally(lock.owner)) return false;
  await state.releaseLock(name, lock.owner);
  return true;
}


/** Creates (if missing) and fails the run, so a tick that never got going is visible in `gmp runs`. */
async function recordFailedRun(ctx: TickContext, runId: string, request: MaterializeRequest, partitions: string, message: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const existing = await ctx.state.getRun(runId);
  if (!existing) {
    await ctx.state.createRun({
      runId, kind: request.kind ?? 'schedule', selection: request.select, partitions, startedAt: now, owner: ownerId('run'), heartbeatAt: now,
    });
  }
  if (!existing || existing.status === 'running') await ctx.state.finishRun(runId, 'failed', now, message);
}

function partitionsOf(request: MaterializeRequest): string {
  if (request.partition !== undefined) return request.partition;
  if (request.from !== undefined && request.to !== undefined) return `${request.from}..${request.to}`;
  return '-';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
