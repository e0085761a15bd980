import { decodeCursor, encodeCursor } from './cursor.js';
import { UsageError } from '../core/index.js';
import type { MaterializationRecord, RunEventRecord } from '../orchestration/index.js';
import { shownStatus, type ShownRunStatus } from './list-runs.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export interface RunWithStepRecords {
  runId: string;
  kind: string;
  status: ShownRunStatus;
  selection: string;
  partitions: string;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  owner?: string | null;
  heartbeatAt?: string | null;
  rows: number;
  requests: number;
  /** Counts over every step of the run. */
  stepCounts: { total: number; succeeded: number; failed: number; other: number };
  /** The first `stepLimit` steps, in the order they were recorded (`stepCounts.total` has them all). */
  steps: MaterializationRecord[];
  /** The first failed steps (at most `stepLimit`). */
  failedSteps: MaterializationRecord[];
  /** Check steps that failed: a run whose checks failed never reads as a plain success. */
  checksFailed: number;
}

export interface EventsQuery {
  limit: number;
  /** The `next` of the previous page. */
  cursor?: string;
  /** Or: events after this id (a live tail that has seen them). */
  afterId?: number;
  types?: readonly RunEventRecord['type'][];
  /** `error`: failed steps; `warn`: and skipped ones; `info`: everything. Combines with `types`. */
  level?: EventLevel;
  asset?: string;
  partition?: string;
  /** A case-insensitive substring of the message. */
  q?: string;
}

export const EVENT_LEVELS = ['error', 'warn', 'info'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** The level of an event, as the run page shows it and `level=` filters it. */
export function eventLevel(type: RunEventRecord['type']): EventLevel {
  return type === 'STEP_FAILURE' ? 'error' : type === 'STEP_SKIPPED' ? 'warn' : 'info';
}

const ALL_TYPES: readonly RunEventRecord['type'][] = ['RUN_START', 'RUN_END', 'STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE', 'STEP_SKIPPED', 'LOG'];
const RANK: Record<EventLevel, number> = { error: 0, warn: 1, info: 2 };

/** The types a query asks for: its `types`, narrowed to its `level` and above. */
function typesOf(query: EventsQuery): readonly RunEventRecord['type'][] | undefined {
  if (query.level === undefined) return query.types;
  const atLeast = ALL_TYPES.filter((t) => RANK[eventLevel(t)] <= RANK[query.level!]);
  return (query.types ?? ALL_TYPES).filter((t) => atLeast.includes(t));
}

const notFound = (runId: string) => new UsageError(`no run "${runId}"`, { code: 'NOT_FOUND', hint: 'list runs with GET /api/v1/runs or `gmp runs`' });

/**
 * One run with its step counts and its first steps (no events: page them with `pageRunEvents`);
 * NOT_FOUND when there is none. A run of 50,000 steps costs one aggregate and `stepLimit` rows.
 */
export async function getRun(ws: Workspace, runId: string, options: { stepLimit?: number } = {}): Promise<RunWithStepRecords> {
  if (!stateExists(ws)) throw notFound(runId);
  const stepLimit = options.stepLimit ?? 1000;
  const state = await openStateStore(ws);
  try {
    const run = await state.getRun(runId);
    if (!run) throw notFound(runId);
    const [summaries, steps, failedSteps] = await Promise.all([
      state.summarizeRunSteps([runId]),
      state.listMaterializations({ runId, limit: stepLimit }),
      state.listMaterializations({ runId, status: 'failed', limit: stepLimit }),
    ]);
    const s = summaries.get(runId);
    return {
      ...run,
      status: shownStatus(run, ws.clock.now()),
      rows: s?.rows ?? 0,
      requests: s?.requests ?? 0,
      stepCounts: { total: s?.total ?? 0, succeeded: s?.succeeded ?? 0, failed: s?.failed ?? 0, other: s?.other ?? 0 },
      steps,
      failedSteps,
      checksFailed: s?.checksFailed ?? 0,
    };
  } finally {
    await state.close();
  }
}

/** A run's shown status alone (what a live tail polls); NOT_FOUND when there is no such run. */
export async function getRunStatus(ws: Workspace, runId: string): Promise<ShownRunStatus> {
  if (!stateExists(ws)) throw notFound(runId);
  const state = await openStateStore(ws);
  try {
    const run = await state.getRun(runId);
    if (!run) throw notFound(runId);
    return shownStatus(run, ws.clock.now());
  } finally {
    await state.close();
  }
}

/** A run's events in order, filtered on the server, a page at a time. */
export async function pageRunEvents(ws: Workspace, runId: string, query: EventsQuery): Promise<{ events: RunEventRecord[]; next: string | null }> {
  if (!stateExists(ws)) throw notFound(runId);
  const state = await openStateStore(ws);
  try {
    if (!(await state.getRun(runId))) throw notFound(runId);
    const afterId = query.afterId ?? (query.cursor === undefined ? 0 : decodeCursor(query.cursor, (v) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : undefined)));
    const types = typesOf(query);
    // Asked for types no event has (STEP_SUCCESS at level error): an empty page, not "any type".
    if (types !== undefined && types.length === 0) return { events: [], next: null };
    const events = await state.pageEvents(runId, {
      limit: query.limit + 1,
      afterId,
      ...(types ? { types } : {}),
      ...(query.asset ? { asset: query.asset } : {}),
      ...(query.partition ? { partition: query.partition } : {}),
      ...(query.q ? { text: query.q } : {}),
    });
    const page = events.slice(0, query.limit);
    const next = events.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null;
    return { events: page, next };
  } finally {
    await state.close();
  }
}

