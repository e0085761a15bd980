import { type MaterializationRecord, ownerIsDeadLocally, type RunRecord, type RunStatus } from '../orchestration/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

/**
 * A run's status as shown to users: `abandoned` is a run recorded as `running` whose process is
 * gone (killed, crashed, machine lost) — re-run its selection, or `gmp backfill resume ID`.
 */
export type ShownRunStatus = RunStatus | 'abandoned';

export interface RunWithSteps extends Omit<RunRecord, 'status'> {
  status: ShownRunStatus;
  steps: MaterializationRecord[];
}

/** A live run heartbeats every few seconds (with its lease renewals); this much silence is death. */
const ABANDONED_AFTER_MS = 2 * 60_000;

/** `running` unless its owner is a dead process of this host, or it stopped heartbeating. */
export function shownStatus(run: RunRecord, now: Date): ShownRunStatus {
  if (run.status !== 'running') return run.status;
  if (run.owner && ownerIsDeadLocally(run.owner)) return 'abandoned';
  const lastSign = Date.parse(run.heartbeatAt ?? run.startedAt);
  return now.getTime() - lastSign > ABANDONED_AFTER_MS ? 'abandoned' : 'running';
}

/** Recent runs, newest first, each with its step records. Creates nothing when no state exists. */
export async function listRuns(ws: Workspace, options: { limit?: number } = {}): Promise<RunWithSteps[]> {
  if (!stateExists(ws)) return [];
  const state = await openStateStore(ws);
  try {
    const runs = await state.listRuns({ limit: options.limit ?? 20 });
    const now = ws.clock.now();
    return await Promise.all(
      runs.map(async (r) => ({ ...r, status: shownStatus(r, now), steps: await state.listMaterializations({ runId: r.runId }) })),
    );
  } finally {
    await state.close();
  }
}
