import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  UsageError,
  partitionKeysBetween,
  parsePartitionKey,
  type Clock,
  type PartitionKey,
} from '../../core/index.js';
import { RAW_ENTITIES, openPipelineResources } from '../definitions/index.js';
import { executeRun, planRun, requestsOf, runnableSteps, type PlanOptions, type RunProgressEvent, type Step, type StepResult } from '../execute/index.js';
import { selectAssets } from '../selection/index.js';
import type { RunStatus } from '../state/index.js';
import { assertReachable } from './preflight.js';
import { openRunLogger, openStateStore, type Workspace } from './workspace.js';

export interface MaterializeRequest {
  select: string;
  /** Removed from the selection (same syntax). */
  exclude?: string;
  partition?: string;
  from?: string;
  to?: string;
  concurrency?: number;
  /** Recorded with the run (`materialize`, `demo`, …). */
  kind?: string;
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  steps: StepResult[];
  durationMs: number;
  requests: number;
}

export interface PreparedRun {
  runId: string;
  steps: Step[];
  partitions: PartitionKey[] | null;
}

/**
 * Resolves the request into a plan; throws UsageError/ConfigError. Pure apart from reading the
 * clock; `planOptions` carries recorded state (what is already materialized).
 */
export function prepareRun(ws: Workspace, request: MaterializeRequest, planOptions: PlanOptions = {}): PreparedRun {
  const assets = selectAssets(ws.graph, request.select, request.exclude);
  const partitions = requestedPartitions(request);
  const steps = planRun(ws.graph, { assets, partitions }, ws.clock, planOptions);
  return { runId: newRunId(ws.clock), steps, partitions };
}

/** Throws ConfigError when the plan calls the API and no key is configured. */
export function assertCanIngest(ws: Workspace, steps: readonly Step[]): void {
  const ingests = steps.some((s) => !s.materialized && ws.graph.get(s.asset).kind === 'ingestion');
  if (ingests && ws.config.rawg.apiKey === undefined) {
    throw new ConfigError('RAWG_API_KEY is not set, and the selection fetches from the RAWG API', {
      hint: 'set RAWG_API_KEY (free key at https://rawg.io/apidocs) in .env, or run `gmp demo` to use the built-in sandbox',
    });
  }
}

/**
 * Materializes a selection for the requested partitions: validates everything first (nothing is
 * written on a usage or config error, nor when the API is unreachable), then plans, executes and
 * records the run.
 */
export async function materialize(
  ws: Workspace,
  request: MaterializeRequest,
  options: { signal?: AbortSignal; onProgress?: (e: RunProgressEvent) => void } = {},
): Promise<RunSummary> {
  const prepared = prepareRun(ws, request);
  assertCanIngest(ws, prepared.steps);
  if (prepared.steps.some((s) => ws.graph.get(s.asset).kind === 'ingestion')) await assertReachable(ws.config.rawg.baseUrl);
  return executePrepared(ws, prepared, request, options);
}

export async function executePrepared(
  ws: Workspace,
  prepared: PreparedRun,
  request: MaterializeRequest,
  options: { signal?: AbortSignal; onProgress?: (e: RunProgressEvent) => void } = {},
): Promise<RunSummary> {
  const signal = options.signal ?? new AbortController().signal;
  const logger = openRunLogger(ws).child({ run_id: prepared.runId });
  const state = await openStateStore(ws);
  const t0 = performance.now();
  try {
    const resources = await openPipelineResources({ config: ws.config, project: ws.project, logger, rawEntities: RAW_ENTITIES });
    try {
      await state.createRun({
        runId: prepared.runId,
        kind: request.kind ?? 'materialize',
        selection: request.select,
        partitions: describePartitions(prepared.partitions),
        startedAt: ws.clock.now().toISOString(),
      });
      await state.appendEvent({
        runId: prepared.runId, ts: ws.clock.now().toISOString(), type: 'RUN_START', asset: null, partition: null,
        message: `${prepared.steps.length} steps`, data: { selection: request.select },
      });
      const steps = await executeRun({
        runId: prepared.runId,
        steps: runnableSteps(prepared.steps),
        assets: ws.graph.assets,
        resources,
        state,
        clock: ws.clock,
        logger,
        concurrency: request.concurrency ?? 4,
        signal,
        onProgress: options.onProgress,
      });
      const status: RunStatus = signal.aborted
        ? 'canceled'
        : steps.every((s) => s.status === 'succeeded')
          ? 'succeeded'
          : 'failed';
      const firstError = steps.find((s) => s.status === 'failed')?.error?.message ?? null;
      await state.finishRun(prepared.runId, status, ws.clock.now().toISOString(), firstError);
      await state.appendEvent({
        runId: prepared.runId, ts: ws.clock.now().toISOString(), type: 'RUN_END', asset: null, partition: null, message: status, data: null,
      });
      const requests = steps.reduce((n, s) => n + (s.result?.requests ?? (s.error ? (requestsOf(s.error) ?? 0) : 0)), 0);
      return { runId: prepared.runId, status, steps, durationMs: performance.now() - t0, requests };
    } finally {
      await resources.close();
    }
  } finally {
    await state.close();
  }
}

function requestedPartitions(request: MaterializeRequest): PartitionKey[] | null {
  if (request.partition !== undefined) {
    if (request.from !== undefined || request.to !== undefined) {
      throw new UsageError('use either --partition or --from/--to, not both');
    }
    return [parsePartitionKey(request.partition)];
  }
  if (request.from === undefined && request.to === undefined) return null;
  if (request.from === undefined || request.to === undefined) throw new UsageError('--from and --to go together');
  const from = parsePartitionKey(request.from, '--from');
  const to = parsePartitionKey(request.to, '--to');
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`, { code: 'PARTITION_INVALID' });
  return partitionKeysBetween(from, to);
}

export function describePartitions(keys: readonly PartitionKey[] | null): string {
  if (keys === null || keys.length === 0) return '-';
  return keys.length === 1 ? keys[0]! : `${keys[0]}..${keys[keys.length - 1]} (${keys.length})`;
}

/** Sortable, path-safe run ids: `20241101T030000Z-3f9a1c`. */
export function newRunId(clock: Clock): string {
  const stamp = clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
