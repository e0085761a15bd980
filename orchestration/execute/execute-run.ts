import {
  AssetError,
  CanceledError,
  GmpError,
  retryDelayMs,
  rootCause,
  sleepOn,
  type AssetDefinition,
  type Clock,
  type Logger,
  type MaterializeResult,
} from '../../core/index.js';
import type { StateStore, StepStatus } from '../state/index.js';
import type { Step } from './plan-run.js';

export interface StepResult {
  step: Step;
  status: StepStatus;
  durationMs: number;
  /** Wall-clock start and end (ISO), set when the step finishes. */
  startedAt?: string;
  endedAt?: string;
  result?: MaterializeResult;
  error?: GmpError;
}

export type RunProgressEvent =
  | { type: 'step_start'; step: Step; running: number; done: number; total: number }
  | { type: 'step_end'; step: Step; result: StepResult; running: number; done: number; total: number };

/** What `acquire` decided for a step: run it (then release), or skip it (done elsewhere meanwhile). */
export type Acquired = { release: () => Promise<void> } | 'already-done';

export interface ExecuteRunOptions<R> {
  runId: string;
  steps: readonly Step[];
  assets: ReadonlyMap<string, AssetDefinition<R>>;
  resources: R;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  /** Steps running at once, over the whole run. */
  concurrency: number;
  /** Optional caps per pool (e.g. per source or per asset); `poolsOf` names a step's pools. */
  poolLimits?: Readonly<Record<string, number>>;
  poolsOf?: (step: Step) => readonly string[];
  /** Cross-process exclusion for a step (a lease); may wait; resolves 'already-done' to skip it. */
  acquire?: (step: Step, signal: AbortSignal) => Promise<Acquired>;
  signal: AbortSignal;
  onProgress?: (event: RunProgressEvent) => void;
  /** Awaited when a step starts executing and when it ends (backfill bookkeeping). */
  onStepStart?: (step: Step) => Promise<void>;
  onStepEnd?: (result: StepResult) => Promise<void>;
}

/**
 * Executes planned steps with at most `concurrency` at once (and per-pool caps), each as soon as
 * the steps it needs have succeeded, in plan order among the ready ones; a failure skips
 * everything downstream of it and lets independent steps finish; an abort cancels what has not
 * finished. Records each step's events and materialization. Never throws for a step failure.
 */
export async function executeRun<R>(options: ExecuteRunOptions<R>): Promise<StepResult[]> {
  const { steps, state, clock, runId } = options;
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const unmet = steps.map((s) => s.needs.length);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => s.needs.forEach((n) => dependents[index.get(n)!]!.push(i)));
  const results: (StepResult | undefined)[] = steps.map(() => undefined);
  let done = 0;
  let ready: number[] = steps.map((_, i) => i).filter((i) => unmet[i] === 0);
  const running = new Map<number, Promise<void>>();
  const poolUse = new Map<string, number>();
  const poolsOf = (i: number): readonly string[] => options.poolsOf?.(steps[i]!) ?? [];
  // Steps that became ready while others ran; merged into `ready` in plan order.
  const newlyReady: number[] = [];

  const finish = async (i: number, result: StepResult, startedAt: Date): Promise<void> => {
    // A step is finished exactly once, whatever path reports it.
    if (results[i] !== undefined) return;
    const step = steps[i]!;
    const endedAt = clock.now();
    results[i] = { ...result, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString() };
    result = results[i]!;
    done++;
    const error = result.error ? result.error.message : null;
    await options.onStepEnd?.(result);
    // A range step records every partition it covered, so per-partition status stays exact.
    const keys = step.range ?? [step.partition];
    for (const partition of keys) {
      await state.recordMaterialization({
        runId,
        asset: step.asset,
        partition,
        status: result.status,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        durationMs: result.durationMs / keys.length,
        rows: step.range ? null : (result.result?.rows ?? null),
        pages: result.result?.pages ?? null,
        requests: result.result?.requests ?? (result.error ? requestsOf(result.error) : null),
        metadata: step.range
          ? { range_step: step.id, ...(result.result?.metadata ?? {}) }
          : (result.result?.metadata ?? (result.error ? { error: result.error.toJSON() } : null)),
        error,
      });
    }
    await state.appendEvent({
      runId,
      ts: endedAt.toISOString(),
      type: result.status === 'succeeded' ? 'STEP_SUCCESS' : result.status === 'failed' ? 'STEP_FAILURE' : 'STEP_SKIPPED',
      asset: step.asset,
      partition: step.partition,
      message: error,
      data: result.result ? { rows: result.result.rows, pages: result.result.pages, requests: result.result.requests } : null,
    });
    options.onProgress?.({ type: 'step_end', step, result, running: running.size, done, total: steps.length });
  };

  /** Marks every not-yet-finished step downstream of `i` skipped (or canceled), depth first. */
  const skipDownstream = async (i: number, status: 'skipped' | 'canceled'): Promise<void> => {
    const stack = [...dependents[i]!];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (results[d] !== undefined) continue;
      const step = steps[d]!;
      const reason = status === 'canceled' ? 'run canceled' : `upstream ${steps[i]!.id} did not succeed`;
      await finish(d, { step, status, durationMs: 0, error: new AssetError(step.asset, step.partition, new CanceledError(reason)) }, clock.now());
      stack.push(...dependents[d]!);
    }
  };

  const runStep = async (i: number): Promise<void> => {
    const step = steps[i]!;
    const def = options.assets.get(step.asset)!;
    const startedAt = clock.now();
    const t0 = performance.now();
    const logger = options.logger.child({ run_id: runId, asset: step.asset, partition: step.partition });
    let release: (() => Promise<void>) | undefined;
    // Only acquiring and materializing are guarded: a failure while recording the outcome must not
    // turn a succeeded step into a failed one (the lake may already hold its commit).
    let outcome: StepResult;
    try {
      if (options.acquire) {
        const acquired = await options.acquire(step, options.signal);
        if (acquired === 'already-done') {
          logger.info('step already materialized by another process meanwhile');
          await finish(i, { step, status: 'succeeded', durationMs: performance.now() - t0, result: { metadata: { already_done: true } } }, startedAt);
          return;
        }
        release = acquired.release;
      }
      await options.onStepStart?.(step);
      await state.appendEvent({
        runId, ts: startedAt.toISOString(), type: 'STEP_START', asset: step.asset, partition: step.partition, message: null, data: null,
      });
      options.onProgress?.({ type: 'step_start', step, running: running.size, done, total: steps.length });
      logger.info('step started');
      const context = {
        runId,
        assetKey: step.asset,
        partitionKey: step.partition,
        partitionKeys: step.range ?? (step.partition === null ? [] : [step.partition]),
        signal: options.signal,
        clock,
        logger,
        resources: options.resources,
      };
      let result: MaterializeResult;
      for (let retry = 1; ; retry++) {
        try {
          result = await def.materialize(context);
          break;
        } catch (cause) {
          // The decision reads `retryable` only: the error's code is for people and logs.
          const root = rootCause(cause);
          const retryable = root instanceof GmpError && root.retryable;
          const policy = def.retryPolicy;
          if (policy === undefined || !retryable || retry > policy.maxRetries || options.signal.aborted) throw cause;
          const delayMs = retryDelayMs(policy, retry);
          const message = `attempt ${retry} of ${policy.maxRetries + 1} failed (${(root as GmpError).message}): retrying in ${delayMs} ms`;
          logger.warn({ retry, delay_ms: delayMs }, message);
          await state.appendEvent({ runId, ts: clock.now().toISOString(), type: 'LOG', asset: step.asset, partition: step.partition, message, data: { level: 'warn', retry } });
          // On the run's clock: a test's manual clock decides when the retry comes.
          await sleepOn(clock, delayMs, options.signal);
          if (options.signal.aborted) throw cause;
        }
      }
      const durationMs = performance.now() - t0;
      logger.info({ rows: result.rows, pages: result.pages, requests: result.requests, duration_ms: Math.round(durationMs) }, 'step succeeded');
      outcome = { step, status: 'succeeded', durationMs, result };
    } catch (cause) {
      const durationMs = performance.now() - t0;
      const canceled = options.signal.aborted || cause instanceof CanceledError;
      const error = cause instanceof AssetError ? cause : new AssetError(step.asset, step.partition, cause);
      logger.error({ err: error.toJSON() }, canceled ? 'step canceled' : 'step failed');
      outcome = { step, status: canceled ? 'canceled' : 'failed', durationMs, error };
    }
    try {
      await finish(i, outcome, startedAt);
    } finally {
      await release?.().catch((error: unknown) => logger.warn({ err: String(error) }, 'releasing the step lock failed'));
    }
  };

  const launchable = (i: number): boolean =>
    poolsOf(i).every((p) => (poolUse.get(p) ?? 0) < (options.poolLimits?.[p] ?? Number.POSITIVE_INFINITY));

  for (;;) {
    if (options.signal.aborted) {
      for (const i of ready) {
        if (results[i] !== undefined) continue;
        const step = steps[i]!;
        await finish(i, { step, status: 'canceled', durationMs: 0, error: new AssetError(step.asset, step.partition, new CanceledError('run canceled')) }, clock.now());
        await skipDownstream(i, 'canceled');
      }
      ready = [];
    }
    const waiting: number[] = [];
    for (const i of ready) {
      if (running.size < options.concurrency && launchable(i)) {
        for (const p of poolsOf(i)) poolUse.set(p, (poolUse.get(p) ?? 0) + 1);
        const p = runStep(i).then(async () => {
          for (const pool of poolsOf(i)) poolUse.set(pool, poolUse.get(pool)! - 1);
          if (results[i]!.status === 'succeeded') {
            for (const d of dependents[i]!) if (--unmet[d]! === 0 && results[d] === undefined) insertSorted(newlyReady, d);
          } else {
            await skipDownstream(i, results[i]!.status === 'canceled' ? 'canceled' : 'skipped');
          }
          // Last: until its downstream is settled, this step still counts as running.
          running.delete(i);
        });
        running.set(i, p);
      } else {
        waiting.push(i);
      }
    }
    ready = waiting;
    if (running.size === 0) {
      // `done` counts each step once (finish is guarded), and no callback is still settling.
      if (newlyReady.length === 0 && done === steps.length) break;
      if (ready.length === 0 && newlyReady.length === 0) {
        // Unreachable for plans from planRun (needs always name steps of the same run).
        throw new Error('steps can never run: their needs are not in the plan');
      }
    } else {
      await Promise.race(running.values());
    }
    if (newlyReady.length > 0) {
      ready = mergeSorted(ready, newlyReady.splice(0));
    }
  }
  return results as StepResult[];
}

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** API requests a failed step spent before failing (ingestion attaches them to its error). */
export function requestsOf(error: GmpError): number | null {
  let current: unknown = error;
  while (current instanceof Error) {
    const n = (current as { requests?: unknown }).requests;
    if (typeof n === 'number') return n;
    current = current.cause;
  }
  return null;
}
