import { UsageError } from '../core/index.js';
import type { RunEventRecord } from '../orchestration/index.js';
import { shownStatus, type RunWithSteps } from './list-runs.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface RunDetail extends RunWithSteps {
  events: RunEventRecord[];
}

/** One run with its steps and every event; UsageError when no run has that id. */
export async function showRun(ws: Workspace, runId: string): Promise<RunDetail> {
  const missing = new UsageError(`no run "${runId}"`, { code: 'NOT_FOUND', hint: 'list runs with `gmp runs`' });
  if (!stateExists(ws)) throw missing;
  const state = await openStateStore(ws);
  try {
    const run = await state.getRun(runId);
    if (!run) throw missing;
    const [steps, events] = await Promise.all([state.listMaterializations({ runId }), state.listEvents(runId)]);
    return { ...run, status: shownStatus(run, ws.clock.now()), steps, events };
  } finally {
    await state.close();
  }
}
