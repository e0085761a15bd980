import type { MaterializationRecord, RunRecord } from '../state/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface RunWithSteps extends RunRecord {
  steps: MaterializationRecord[];
}

/** Recent runs, newest first, each with its step records. Creates nothing when no state exists. */
export async function listRuns(ws: Workspace, options: { limit?: number } = {}): Promise<RunWithSteps[]> {
  if (!stateExists(ws)) return [];
  const state = await openStateStore(ws);
  try {
    const runs = await state.listRuns({ limit: options.limit ?? 20 });
    return await Promise.all(runs.map(async (r) => ({ ...r, steps: await state.listMaterializations({ runId: r.runId }) })));
  } finally {
    await state.close();
  }
}
