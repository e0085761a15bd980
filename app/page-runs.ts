import type { RunRecord, RunStatus } from '../orchestration/index.js';
import { shownStatus, type ShownRunStatus } from './list-runs.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface RunRow extends Omit<RunRecord, 'status'> {
  status: ShownRunStatus;
  steps: { total: number; succeeded: number; failed: number };
  rows: number;
  requests: number;
}

export interface RunsPage {
  runs: RunRow[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

export interface RunsQuery {
  limit: number;
  cursor?: string;
  status?: RunStatus;
  kind?: string;
}

/** Runs newest first, a page at a time, each with its step counts, rows and API requests. */
export async function pageRuns(ws: Workspace, query: RunsQuery): Promise<RunsPage> {
  if (!stateExists(ws)) return { runs: [], next: null };
  const state = await openStateStore(ws);
  try {
    const page = await state.pageRuns({
      limit: query.limit,
      ...(query.cursor ? { after: query.cursor } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    });
    const now = ws.clock.now();
    // One aggregate for the page: a run of 50,000 steps costs a count, not 50,000 rows.
    const summaries = await state.summarizeRunSteps(page.runs.map((r) => r.runId));
    const runs = page.runs.map((run) => {
      const s = summaries.get(run.runId);
      return {
        ...run,
        status: shownStatus(run, now),
        steps: { total: s?.total ?? 0, succeeded: s?.succeeded ?? 0, failed: s?.failed ?? 0 },
        rows: s?.rows ?? 0,
        requests: s?.requests ?? 0,
      };
    });
    return { runs, next: page.next };
  } finally {
    await state.close();
  }
}
