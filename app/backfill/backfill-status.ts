import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { shownStatus } from '../list-runs.js';
import type { BackfillPartitionStatus, BackfillRecord, StateStore } from '../../orchestration/index.js';
import { requireBackfill } from './backfill.js';

/**
 * A backfill's status as shown to users: `interrupted` is one recorded as `running` whose process
 * is gone (its runs are abandoned, as `gmp runs` shows them) — `gmp backfill resume ID` goes on.
 */
export type ShownBackfillStatus = BackfillRecord['status'] | 'interrupted';

export interface ShownBackfill {
  backfill: BackfillRecord;
  status: ShownBackfillStatus;
  counts: Record<BackfillPartitionStatus, number>;
  /** The command that finishes it, when it is not done: `gmp backfill resume ID`. */
  resume: string | null;
}

/** A backfill (re)started this recently is still being planned, not interrupted. */
const STARTING_GRACE_MS = 2 * 60_000;

/** `running` unless no process runs it any more: every run it started is finished or abandoned. */
async function shownBackfill(ws: Workspace, state: StateStore, backfill: BackfillRecord): Promise<ShownBackfill> {
  const counts = await state.countBackfillPartitions(backfill.backfillId);
  let status: ShownBackfillStatus = backfill.status;
  if (status === 'running') {
    const now = ws.clock.now();
    const runIds = new Set((await state.listBackfillPartitions(backfill.backfillId)).map((p) => p.runId).filter((id): id is string => id !== null));
    const runs = await Promise.all([...runIds].map((id) => state.getRun(id)));
    const alive = runs.some((r) => r !== undefined && shownStatus(r, now) === 'running');
    // Just started or resumed, its run not recorded yet: no run, or the newest one ended before the
    // backfill was set running again. (A killed run never ended: that is an interruption.)
    const newest = runs.filter((r) => r !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    const beforeItsRun = newest === undefined || (newest.endedAt !== null && newest.endedAt <= backfill.updatedAt);
    const starting = beforeItsRun && now.getTime() - Date.parse(backfill.updatedAt) < STARTING_GRACE_MS;
    if (!alive && !starting) status = 'interrupted';
  }
  const done = status === 'succeeded' || status === 'running';
  return { backfill, status, counts, resume: done ? null : `gmp backfill resume ${backfill.backfillId}` };
}

export interface BackfillStatusRange {
  from: string | null;
  to: string | null;
  status: BackfillPartitionStatus;
  count: number;
}

export interface BackfillStatusReport extends ShownBackfill {
  /** Per asset: partitions by status, and their statuses as runs of consecutive partitions (a matrix row). */
  assets: { asset: string; counts: Record<BackfillPartitionStatus, number>; ranges: BackfillStatusRange[] }[];
  failures: { asset: string; partition: string | null; error: string | null }[];
}

/** A backfill's progress: its shown status, counts per status overall and per asset, and every failure. */
export async function backfillStatus(ws: Workspace, backfillId: string): Promise<BackfillStatusReport> {
  const state = await openStateStore(ws);
  try {
    const backfill = await requireBackfill(state, backfillId);
    const rows = await state.listBackfillPartitions(backfillId);
    const grouped = new Map<string, typeof rows>();
    for (const r of rows) grouped.set(r.asset, [...(grouped.get(r.asset) ?? []), r]);
    const byAsset = new Map<string, { counts: Record<BackfillPartitionStatus, number>; ranges: BackfillStatusRange[] }>();
    for (const [asset, list] of grouped) {
      const entry = { counts: emptyCounts(), ranges: [] as BackfillStatusRange[] };
      for (const r of [...list].sort((a, b) => String(a.partition).localeCompare(String(b.partition)))) {
        entry.counts[r.status]++;
        // Ranges never enumerate partitions: a year of one status is one element.
        const last = entry.ranges[entry.ranges.length - 1];
        if (last && last.status === r.status) {
          last.to = r.partition;
          last.count++;
        } else {
          entry.ranges.push({ from: r.partition, to: r.partition, status: r.status, count: 1 });
        }
      }
      byAsset.set(asset, entry);
    }
    return {
      ...(await shownBackfill(ws, state, backfill)),
      assets: [...byAsset].map(([asset, e]) => ({ asset, counts: e.counts, ranges: e.ranges })),
      failures: rows.filter((r) => r.status === 'failed').map((r) => ({ asset: r.asset, partition: r.partition, error: r.error })),
    };
  } finally {
    await state.close();
  }
}

/** Recent backfills with their shown status and counts, newest first. */
export async function listBackfills(ws: Workspace, options: { limit?: number } = {}): Promise<ShownBackfill[]> {
  if (!stateExists(ws)) return [];
  const state = await openStateStore(ws);
  try {
    const list = await state.listBackfills({ limit: options.limit ?? 20 });
    return await Promise.all(list.map((b) => shownBackfill(ws, state, b)));
  } finally {
    await state.close();
  }
}

function emptyCounts(): Record<BackfillPartitionStatus, number> {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, canceled: 0 };
}
