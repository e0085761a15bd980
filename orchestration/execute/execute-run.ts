import type {
  GmpError} from '../../core/index.js';
import {
  AssetError,
  CanceledError,
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
  result?: MaterializeResult;
  error?: GmpError;
}

export type RunProgressEvent =
  | { type: 'step_start'; step: Step; running: number; done: number; total: number }
  | { type: 'step_end'; step: Step; result: StepResult; running: number; done: number; total: number };

export interface ExecuteRunOptions<R> {
  runId: string;
  steps: readonly Step[];
  assets: ReadonlyMap<string, AssetDefinition<R>>;
  resources: R;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  signal: AbortSignal;
  onProgress?: (event: RunProgressEvent) => void;
}

/**
 * Executes planned steps with at most `concurrency` at once, each as soon as the steps it needs
 * have succeeded; a failure skips everything downstream of it and lets independent steps finish.
 * Records each step's events and materialization. Never throws for a step failure: the results say.
 */
export async function executeRun<R>(options: ExecuteRunOptions<R>): Promise<StepResult[]> {
  const { steps, state, clock, runId } = options;
  const results = new Map<string, StepResult>();
  const pending = new Set(steps.map((s) => s.id));
  const running = new Map<string, Promise<void>>();
  const byId = new Map(steps.map((s) => [s.id, s]));

  const finish = async (step: Step, result: StepResult, startedAt: Date): Promise<void> => {
    results.set(step.id, result);
    const endedAt = clock.now();
    const error = result.error ? result.error.message : null;
    await state.recordMaterialization({
      runId,
      asset: step.asset,
      partition: step.partition,
      status: result.status,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: result.durationMs,
      rows: result.result?.rows ?? null,
      pages: result.result?.pages ?? null,
      requests: result.result?.requests ?? (result.error ? requestsOf(result.error) : null),
      metadata: result.result?.metadata ?? (result.error ? { error: result.error.toJSON() } : null),
      error,
    });
    await state.appendEvent({
      runId,
      ts: endedAt.toISOString(),
      type: result.status === 'succeeded' ? 'STEP_SUCCESS' : result.status === 'failed' ? 'STEP_FAILURE' : 'STEP_SKIPPED',
      asset: step.asset,
      partition: step.partition,
      message: error,
      data: result.result ? { rows: result.result.rows, pages: result.result.pages, requests: result.result.requests } : null,
    });
    options.onProgress?.({ type: 'step_end', step, result, running: running.size - 1, done: results.size, total: steps.length });
  };

  const runStep = async (step: Step): Promise<void> => {
    const def = options.assets.get(step.asset)!;
    const startedAt = clock.now();
    const t0 = performance.now();
    const logger = options.logger.child({ run_id: runId, asset: step.asset, partition: step.partition });
    await state.appendEvent({
      runId, ts: startedAt.toISOString(), type: 'STEP_START', asset: step.asset, partition: step.partition, message: null, data: null,
    });
    options.onProgress?.({ type: 'step_start', step, running: running.size, done: results.size, total: steps.length });
    logger.info('step started');
    try {
      const result = await def.materialize({
        runId, assetKey: step.asset, partitionKey: step.partition, signal: options.signal, clock, logger, resources: options.resources,
      });
      const durationMs = performance.now() - t0;
      logger.info({ rows: result.rows, pages: result.pages, requests: result.requests, duration_ms: Math.round(durationMs) }, 'step succeeded');
      await finish(step, { step, status: 'succeeded', durationMs, result }, startedAt);
    } catch (cause) {
      const durationMs = performance.now() - t0;
      const canceled = options.signal.aborted || cause instanceof CanceledError;
      const error = cause instanceof AssetError ? cause : new AssetError(step.asset, step.partition, cause);
      logger.error({ err: error.toJSON() }, canceled ? 'step canceled' : 'step failed');
      await finish(step, { step, status: canceled ? 'canceled' : 'failed', durationMs, error }, startedAt);
    }
  };

  const skipBlocked = async (): Promise<void> => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const id of [...pending]) {
        const step = byId.get(id)!;
        const blocker = step.needs.find((n) => {
          const r = results.get(n);
          return r !== undefined && r.status !== 'succeeded';
        });
        if (blocker !== undefined || options.signal.aborted) {
          pending.delete(id);
          const reason = options.signal.aborted ? 'run canceled' : `upstream ${blocker} did not succeed`;
          await finish(step, { step, status: options.signal.aborted ? 'canceled' : 'skipped', durationMs: 0, error: new AssetError(step.asset, step.partition, new CanceledError(reason)) }, clock.now());
          changed = true;
        }
      }
    }
  };

  while (pending.size > 0 || running.size > 0) {
    await skipBlocked();
    for (const id of [...pending]) {
      if (running.size >= options.concurrency) break;
      const step = byId.get(id)!;
      if (step.needs.every((n) => results.get(n)?.status === 'succeeded')) {
        pending.delete(id);
        const p = runStep(step).finally(() => running.delete(id));
        running.set(id, p);
      }
    }
    if (running.size === 0) {
      if (pending.size === 0) break;
      // Unreachable for plans from planRun (needs always name steps of the same run).
      throw new Error(`steps can never run, their needs are not in the plan: ${[...pending].join(', ')}`);
    }
    await Promise.race(running.values());
  }
  return steps.map((s) => results.get(s.id)!);
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
