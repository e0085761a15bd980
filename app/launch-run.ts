import { UsageError } from '../core/index.js';
import { executePrepared, type ExecuteOptions } from './execute-prepared.js';
import { assertCanIngest, planCallsApi, prepareRun } from './materialize.js';
import { assertReachable } from './preflight.js';
import type { MaterializeRequest, RunSummary } from './run-request.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface LaunchedRun {
  runId: string;
  /** Settles when the run has finished and is recorded. */
  done: Promise<RunSummary>;
}

/**
 * Validates and plans a materialization now (UsageError, ConfigError, an unreachable API: nothing
 * written), then runs it in the background through the same planner, leases, budget and state
 * store as `gmp materialize`, answering its run id at once.
 */
export async function launchRun(ws: Workspace, request: MaterializeRequest, options: Pick<ExecuteOptions, 'signal' | 'onWarehouseWait' | 'onProgress'> = {}): Promise<LaunchedRun> {
  const prepared = prepareRun(ws, request);
  assertCanIngest(ws, prepared.steps);
  if (planCallsApi(ws, prepared.steps)) await assertReachable(ws.config.rawg.baseUrl);
  const done = executePrepared(ws, prepared, request, options);
  return { runId: prepared.runId, done };
}

/**
 * Asks a running run to cancel, wherever it runs: its process notices within seconds (at its next
 * lease renewal) and cancels what has not finished. NOT_FOUND when there is no such run; answers
 * false when it had already finished.
 */
export async function requestCancel(ws: Workspace, runId: string): Promise<boolean> {
  const missing = new UsageError(`no run "${runId}"`, { code: 'NOT_FOUND', hint: 'list runs with `gmp runs`' });
  if (!stateExists(ws)) throw missing;
  const state = await openStateStore(ws);
  try {
    if (!(await state.getRun(runId))) throw missing;
    return await state.requestRunCancel(runId, ws.clock.now().toISOString());
  } finally {
    await state.close();
  }
}
