import {
  ConfigError,
  UsageError,
  resolvePartitionKey,
  timeKeysBetween,
  type PartitionKey,
} from '../core/index.js';
import { INGESTION_SPECS, type PlanOptions, planRun, type RunProgressEvent, selectAssets, type Step, type WarehouseWaitNotice } from '../orchestration/index.js';
import { assertReachable } from './preflight.js';
import { executePrepared } from './execute-prepared.js';
import { newRunId, type MaterializeRequest, type PreparedRun, type RunSummary } from './run-request.js';
import type { Workspace } from './workspace.js';

/**
 * Resolves the request into a plan; throws UsageError/ConfigError. Pure apart from reading the
 * clock; `planOptions` carries recorded state (what is already materialized).
 */
export function prepareRun(ws: Workspace, request: MaterializeRequest, planOptions: PlanOptions = {}): PreparedRun {
  const assets = selectAssets(ws.graph, request.select, request.exclude);
  const partitions = requestedPartitions(request, ws.clock.now());
  const steps = planRun(ws.graph, { assets, partitions }, ws.clock, { rangeSteps: true, ...planOptions });
  return { runId: newRunId(ws.clock), steps, partitions };
}

/**
 * True when a step the plan will execute fetches from an API (an ingestion asset with an endpoint;
 * pushed data such as hourly events already sits in the lake).
 */
export function planCallsApi(ws: Workspace, steps: readonly Step[]): boolean {
  return steps.some((s) => !s.materialized && ws.graph.get(s.asset).kind === 'ingestion' && INGESTION_SPECS.has(s.asset));
}

/** Throws ConfigError when the plan calls the API and no key is configured. */
export function assertCanIngest(ws: Workspace, steps: readonly Step[]): void {
  if (planCallsApi(ws, steps) && ws.config.rawg.apiKey === undefined) {
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
  options: { signal?: AbortSignal; onProgress?: (e: RunProgressEvent) => void; onWarehouseWait?: (notice: WarehouseWaitNotice) => void } = {},
): Promise<RunSummary> {
  const prepared = prepareRun(ws, request);
  assertCanIngest(ws, prepared.steps);
  if (planCallsApi(ws, prepared.steps)) await assertReachable(ws.config.rawg.baseUrl);
  return executePrepared(ws, prepared, request, options);
}


function requestedPartitions(request: MaterializeRequest, now: Date): PartitionKey[] | null {
  if (request.partition !== undefined) {
    if (request.from !== undefined || request.to !== undefined) {
      throw new UsageError('use either --partition or --from/--to, not both');
    }
    return [resolvePartitionKey(request.partition, now)];
  }
  if (request.from === undefined && request.to === undefined) return null;
  if (request.from === undefined || request.to === undefined) throw new UsageError('--from and --to go together');
  // Days or hours: each asset takes its own grain of them when the run is planned.
  return timeKeysBetween(resolvePartitionKey(request.from, now, '--from'), resolvePartitionKey(request.to, now, '--to'));
}

