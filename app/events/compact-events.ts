import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../core/index.js';
import { compactEvents as compactEventDays, verifyCompactedDays, type CompactedDayCheck, type DayCompaction } from '../../ingestion/index.js';
import { createObjectStore } from '../../lake/index.js';
import type { RunProgressEvent, WarehouseWaitNotice } from '../../orchestration/index.js';
import { materialize } from '../materialize.js';
import type { RunSummary } from '../run-request.js';
import type { Workspace } from '../workspace.js';

const ASSET = 'events/compact_events';

export interface CompactEventsInput {
  /** Overrides GMP_EVENTS_COMPACT_AFTER_HOURS for this run. */
  olderThanHours?: number;
  /** Lists what would be compacted; writes nothing and starts no run. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: RunProgressEvent) => void;
  onWarehouseWait?: (notice: WarehouseWaitNotice) => void;
}

export interface CompactEventsResult {
  /** The lake, as `describe()` names it (no credentials). */
  lake: string;
  olderThanHours: number;
  dryRun: boolean;
  /** The run that compacted (absent for a dry run). */
  run?: Pick<RunSummary, 'runId' | 'status' | 'durationMs'> & { error?: string };
  days: DayCompaction[];
  totals: { daysCompacted: number; hoursEmptied: number; eventsIn: number; eventsOut: number; bytesBefore: number; bytesAfter: number };
}

/**
 * Compacts old hourly event partitions into daily Parquet: a run of the `events/compact_events`
 * asset (recorded like any run; raw views refreshed, hourly files removed after the snapshot is
 * published), or with `dryRun` a listing of what it would do. Throws UsageError for a bad age.
 */
export async function compactEvents(ws: Workspace, input: CompactEventsInput = {}): Promise<CompactEventsResult> {
  const olderThanHours = input.olderThanHours ?? ws.config.eventsCompactAfterHours ?? 72;
  if (!Number.isSafeInteger(olderThanHours) || olderThanHours < 1) throw new UsageError(`--older-than-hours must be a positive whole number of hours, got ${olderThanHours}`);
  const store = await createObjectStore(ws.config.lake);
  if (input.dryRun) {
    const workDir = await mkdtemp(path.join(tmpdir(), 'gmp-compact-plan-'));
    try {
      const plan = await compactEventDays(store, { clock: ws.clock, olderThanMs: olderThanHours * 3_600_000, runId: 'dry-run', workDir, dryRun: true, ...(input.signal ? { signal: input.signal } : {}) });
      return { lake: store.describe(), olderThanHours, dryRun: true, days: plan.days, totals: totalsOf(plan.days) };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  // The asset reads its age from the configuration: this run gets the one asked for.
  const scoped: Workspace = { ...ws, config: { ...ws.config, eventsCompactAfterHours: olderThanHours } };
  const run = await materialize(scoped, { select: ASSET, kind: 'compact' }, {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.onWarehouseWait ? { onWarehouseWait: input.onWarehouseWait } : {}),
  });
  const step = run.steps.find((s) => s.step.asset === ASSET);
  const days = (step?.result?.metadata?.days ?? []) as DayCompaction[];
  const error = step?.error?.message;
  return {
    lake: store.describe(),
    olderThanHours,
    dryRun: false,
    run: { runId: run.runId, status: run.status, durationMs: run.durationMs, ...(error ? { error } : {}) },
    days,
    totals: totalsOf(days),
  };
}

/** Checks every compacted day's Parquet against its manifest's size and SHA-256 (see verifyCompactedDays). */
export async function verifyCompactedEvents(ws: Workspace, input: { signal?: AbortSignal; onFile?: (check: CompactedDayCheck) => void } = {}): Promise<{ lake: string; checks: CompactedDayCheck[] }> {
  const store = await createObjectStore(ws.config.lake);
  const checks = await verifyCompactedDays(store, input);
  return { lake: store.describe(), checks };
}

function totalsOf(days: readonly DayCompaction[]): CompactEventsResult['totals'] {
  const written = days.filter((d) => d.action !== 'cleaned');
  return {
    daysCompacted: written.length,
    hoursEmptied: days.reduce((n, d) => n + d.emptied, 0),
    eventsIn: written.reduce((n, d) => n + d.eventsIn, 0),
    eventsOut: written.reduce((n, d) => n + (d.eventsOut ?? 0), 0),
    bytesBefore: written.reduce((n, d) => n + d.bytesBefore, 0),
    bytesAfter: written.reduce((n, d) => n + (d.bytesAfter ?? 0), 0),
  };
}
