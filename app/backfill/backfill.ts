import { randomBytes } from 'node:crypto';
import { UsageError, resolvePartitionKey, silentLogger, type Clock } from '../../core/index.js';
import { assertFits, planBudget } from '../budget-gate.js';
import { executePrepared, type ExecuteOptions } from '../execute-prepared.js';
import { assertCanIngest, planCallsApi, prepareRun } from '../materialize.js';
import { assertReachable } from '../preflight.js';
import { succeededPartitions } from '../recorded-state.js';
import type { MaterializeRequest, RunSummary } from '../run-request.js';
import { openStateStore, workspaceWithVars, type Workspace } from '../workspace.js';
import type { BackfillPartitionStatus, BackfillRecord, RunProgressEvent, StateStore, Step, StepResult } from '../../orchestration/index.js';

export interface BackfillRequest {
  select: string;
  exclude?: string;
  from: string;
  to: string;
  concurrency?: number;
  maxPerAsset?: number;
  /** Redo partitions already materialized (default: skip them). */
  force?: boolean;
}

export interface BackfillOutcome {
  backfill: BackfillRecord;
  run: RunSummary | null;
  counts: Record<BackfillPartitionStatus, number>;
}

export interface BackfillRunOptions extends Pick<ExecuteOptions, 'onWarehouseWait'> {
  signal?: AbortSignal;
  onProgress?: (e: RunProgressEvent) => void;
  /** Called once the backfill is persisted, before any step runs (prints its id). */
  onCreated?: (backfill: BackfillRecord) => void;
}

/** Statuses `resume` runs again: anything not finished well. */
const RETRY: readonly BackfillPartitionStatus[] = ['pending', 'running', 'failed', 'canceled'];

/**
 * Plans a backfill of `select` over [from, to], persists it with one row per (asset, partition)
 * — already-materialized ones as `skipped` unless `force` — then executes it. A killed process
 * leaves it resumable: `resumeBackfill` re-runs only what did not succeed.
 */
export async function startBackfill(ws: Workspace, asked: BackfillRequest, options: BackfillRunOptions = {}): Promise<BackfillOutcome> {
  // `today`/`yesterday` are resolved once, so the persisted backfill names real days (resume re-runs them).
  const request = { ...asked, from: resolvePartitionKey(asked.from, ws.clock.now(), '--from'), to: resolvePartitionKey(asked.to, ws.clock.now(), '--to') };
  const asRun: MaterializeRequest = { select: request.select, exclude: request.exclude, from: request.from, to: request.to, concurrency: request.concurrency, maxPerAsset: request.maxPerAsset, kind: 'backfill' };
  const assets = prepareRun(ws, asRun).steps.map((s) => s.asset);
  const succeeded = await succeededPartitions(ws, [...new Set(assets)]);
  const prepared = prepareRun(ws, asRun, { succeeded, force: request.force });
  const state = await openStateStore(ws);
  try {
    await preflight(ws, state, prepared.steps);
    const now = ws.clock.now().toISOString();
    const record: Omit<BackfillRecord, 'updatedAt'> = {
      backfillId: newBackfillId(ws.clock),
      selection: request.select,
      fromKey: request.from,
      toKey: request.to,
      status: 'running',
      createdAt: now,
      options: {
        exclude: request.exclude ?? null,
        concurrency: request.concurrency ?? 4,
        maxPerAsset: request.maxPerAsset ?? null,
        force: request.force ?? false,
        // A resume builds the models with the same var('x') values.
        ...(Object.keys(ws.vars).length > 0 ? { vars: ws.vars } : {}),
      },
    };
    const rows = (steps: readonly Step[]) => steps.flatMap((s) => (s.range ?? [s.partition]).map((partition) => ({ asset: s.asset, partition })));
    await state.createBackfill(record, rows(prepared.steps));
    const upToDate = prepared.steps.filter((s) => s.materialized);
    if (upToDate.length > 0) {
      await state.updateBackfillPartitions(record.backfillId, rows(upToDate).map((r) => ({ ...r, status: 'skipped' as const })), now);
    }
    const backfill = (await state.getBackfill(record.backfillId))!;
    options.onCreated?.(backfill);
    return await runBackfill(ws, state, backfill, options);
  } finally {
    await state.close();
  }
}

/** Re-runs the pending, failed, canceled and orphaned partitions of a backfill, with the --vars it started with. */
export async function resumeBackfill(ws: Workspace, backfillId: string, options: BackfillRunOptions = {}): Promise<BackfillOutcome> {
  const state = await openStateStore(ws);
  try {
    const backfill = await requireBackfill(state, backfillId);
    await state.setBackfillStatus(backfillId, 'running', ws.clock.now().toISOString());
    options.onCreated?.(backfill);
    const vars = backfill.options.vars as Record<string, unknown> | undefined;
    return await runBackfill(vars ? workspaceWithVars(ws, vars) : ws, state, { ...backfill, status: 'running' }, options);
  } finally {
    await state.close();
  }
}

/** Asks a backfill to stop: a process running it notices within seconds and cancels its steps. */
export async function cancelBackfill(ws: Workspace, backfillId: string): Promise<BackfillRecord> {
  const state = await openStateStore(ws);
  try {
    await requireBackfill(state, backfillId);
    const now = ws.clock.now().toISOString();
    await state.setBackfillStatus(backfillId, 'canceled', now);
    const pending = await state.listBackfillPartitions(backfillId, { status: ['pending'] });
    await state.updateBackfillPartitions(backfillId, pending.map((p) => ({ asset: p.asset, partition: p.partition, status: 'canceled' as const })), now);
    return (await state.getBackfill(backfillId))!;
  } finally {
    await state.close();
  }
}

export async function requireBackfill(state: StateStore, backfillId: string): Promise<BackfillRecord> {
  const backfill = await state.getBackfill(backfillId);
  if (!backfill) throw new UsageError(`no backfill "${backfillId}"`, { code: 'NOT_FOUND', hint: 'list backfills with `gmp backfill list`' });
  return backfill;
}

async function runBackfill(ws: Workspace, state: StateStore, backfill: BackfillRecord, options: BackfillRunOptions): Promise<BackfillOutcome> {
  const request: MaterializeRequest = {
    select: backfill.selection,
    exclude: (backfill.options.exclude as string | null) ?? undefined,
    from: backfill.fromKey,
    to: backfill.toKey,
    concurrency: Number(backfill.options.concurrency ?? 4),
    ...(typeof backfill.options.maxPerAsset === 'number' ? { maxPerAsset: backfill.options.maxPerAsset } : {}),
    kind: 'backfill',
  };
  const rows = await state.listBackfillPartitions(backfill.backfillId);
  const finished = new Set(rows.filter((r) => !RETRY.includes(r.status)).map((r) => key(r.asset, r.partition)));
  // The same plan as at creation (plans are pure), minus what already finished well.
  const plan = prepareRun(ws, request);
  const prepared = {
    ...plan,
    steps: plan.steps.map((s) => ({ ...s, materialized: (s.range ?? [s.partition]).every((p) => finished.has(key(s.asset, p))) })),
  };
  const toRun = prepared.steps.filter((s) => !s.materialized);
  await preflight(ws, state, prepared.steps);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let run: RunSummary | null = null;
  if (toRun.length > 0) {
    const set = (step: Step, status: BackfillPartitionStatus, error?: string | null) =>
      state.updateBackfillPartitions(
        backfill.backfillId,
        (step.range ?? [step.partition]).map((partition) => ({ asset: step.asset, partition, status, runId: prepared.runId, error: error ?? null })),
        ws.clock.now().toISOString(),
      );
    run = await executePrepared(ws, prepared, request, {
      state,
      signal,
      onProgress: options.onProgress,
      ...(options.onWarehouseWait ? { onWarehouseWait: options.onWarehouseWait } : {}),
      onStepStart: (step) => set(step, 'running'),
      onStepEnd: (result: StepResult) => set(result.step, statusAfter(result), result.error?.message),
      doneElsewhere: async (step) => {
        // Always checked: another process on the same backfill may have finished it before we got here.
        for (const partition of step.range ?? [step.partition]) {
          if ((await state.getBackfillPartition(backfill.backfillId, step.asset, partition))?.status !== 'succeeded') return false;
        }
        return true;
      },
      onTick: async () => {
        const current = await state.getBackfill(backfill.backfillId);
        if (current?.status === 'canceled') controller.abort();
      },
    });
  }
  const counts = await state.countBackfillPartitions(backfill.backfillId);
  const open = counts.pending + counts.failed + counts.canceled;
  const canceledByUser = (await state.getBackfill(backfill.backfillId))?.status === 'canceled';
  // Partitions still `running` belong to another process working on the same backfill (ours
  // are all finished): it will settle the final status.
  // Only `gmp backfill cancel` cancels the backfill itself: a Ctrl-C here stops this process's
  // share, and another process may still be working on it.
  const status = canceledByUser ? 'canceled' : counts.running > 0 ? 'running' : open === 0 ? 'succeeded' : 'failed';
  await state.setBackfillStatus(backfill.backfillId, status, ws.clock.now().toISOString());
  return { backfill: (await state.getBackfill(backfill.backfillId))!, run, counts };
}

/**
 * Before any step runs (a start or a resume): a key when the API is called, a reachable API, and
 * an estimate that fits the remaining request budget.
 */
async function preflight(ws: Workspace, state: StateStore, steps: readonly Step[]): Promise<void> {
  assertCanIngest(ws, steps);
  if (!planCallsApi(ws, steps)) return;
  await assertReachable(ws.config.rawg.baseUrl);
  assertFits(await planBudget(ws, state, steps, silentLogger));
}

// An upstream failure leaves a partition "missing": it stays pending so `resume` runs it.
function statusAfter(result: StepResult): BackfillPartitionStatus {
  if (result.status === 'skipped') return 'pending';
  return result.status;
}

function key(asset: string, partition: string | null): string {
  return `${asset}|${partition ?? ''}`;
}

function newBackfillId(clock: Clock): string {
  const stamp = clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `bf-${stamp}-${randomBytes(3).toString('hex')}`;
}
