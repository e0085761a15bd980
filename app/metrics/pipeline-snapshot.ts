import { addDays, dateToKey, type PartitionKey } from '../../core/index.js';
import type { RunStatus, StepStatus } from '../../orchestration/index.js';
import { allBudgets, type BudgetStatus } from '../budget-gate.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';

/** Steps looked at for counts and durations: the newest ones, so a scrape costs the same after years. */
export const SNAPSHOT_STEP_LIMIT = 10_000;

export interface PipelineSnapshot {
  /** Every recorded run, by status. */
  runsByStatus: Record<RunStatus, number>;
  /** The newest SNAPSHOT_STEP_LIMIT steps (materializations), by status. */
  stepsByStatus: Record<StepStatus, number>;
  /** Those steps' durations, with the kind of their asset (`ingestion`, `view`, `table`, `check`, … or `unknown`). */
  stepDurations: { kind: string; status: StepStatus; seconds: number }[];
  budgets: BudgetStatus[];
  /**
   * Per daily asset that has a materialized partition: how many days its newest one is behind
   * yesterday (UTC, at the workspace clock); 0 when yesterday is there.
   */
  partitionLag: { asset: string; newest: PartitionKey; days: number }[];
}

/**
 * The pipeline's figures for monitoring, read from the state store at the workspace clock (the
 * server's /metrics computes it at each scrape). Creates nothing: with no state yet, all zeros.
 */
export async function pipelineSnapshot(ws: Workspace): Promise<PipelineSnapshot> {
  const snapshot: PipelineSnapshot = {
    runsByStatus: { running: 0, succeeded: 0, failed: 0, canceled: 0 },
    stepsByStatus: { succeeded: 0, failed: 0, skipped: 0, canceled: 0 },
    stepDurations: [],
    budgets: [],
    partitionLag: [],
  };
  if (!stateExists(ws)) return { ...snapshot, budgets: await allBudgets(ws, undefined) };
  const state = await openStateStore(ws);
  try {
    for (let after: string | null | undefined = undefined; after !== null; ) {
      const page: { runs: { status: RunStatus }[]; next: string | null } = await state.pageRuns({ limit: 1000, ...(after ? { after } : {}) });
      for (const run of page.runs) snapshot.runsByStatus[run.status]++;
      after = page.next;
    }
    const kinds = new Map(ws.graph.order.map((k) => [k as string, ws.graph.get(k).kind as string]));
    for (const step of await state.listMaterializations({ limit: SNAPSHOT_STEP_LIMIT, newestFirst: true })) {
      snapshot.stepsByStatus[step.status]++;
      snapshot.stepDurations.push({ kind: kinds.get(step.asset) ?? 'unknown', status: step.status, seconds: step.durationMs / 1000 });
    }
    snapshot.budgets = await allBudgets(ws, state);
    const yesterday = addDays(dateToKey(ws.clock.now()), -1);
    for (const key of ws.graph.order) {
      const asset = ws.graph.get(key);
      if (asset.kind === 'check' || asset.partitions.type !== 'daily') continue;
      const newest = (await state.latestByPartition(key))
        .filter((r) => r.status === 'succeeded' && r.partition !== null)
        .reduce<string | null>((d, r) => (d === null || r.partition! > d ? r.partition : d), null);
      if (newest === null) continue;
      const days = Math.max(0, Math.round((Date.parse(yesterday) - Date.parse(newest)) / 86_400_000));
      snapshot.partitionLag.push({ asset: key, newest, days });
    }
  } finally {
    await state.close();
  }
  return snapshot;
}
