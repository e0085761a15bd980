import { createOpenLineageEmitter, createStepLeases, describeStepAsset, executeRun, openPipelineResources, ownerId, projectLineage, RAW_ENTITIES, requestsOf, runnableSteps, type RunProgressEvent, type RunStatus, type StateStore, type Step, type StepResult, type WarehouseWaitNotice } from '../orchestration/index.js';
import { describePartitions, type MaterializeRequest, type PreparedRun, type RunSummary, type RunWarning } from './run-request.js';
import { summarizeRun } from './summarize-run.js';
import { openRunLogger, openStateStore, type Workspace } from './workspace.js';

export interface ExecuteOptions {
  signal?: AbortSignal;
  onProgress?: (e: RunProgressEvent) => void;
  /** Use this open state store (left open) instead of opening the configured one. */
  state?: StateStore;
  onStepStart?: (step: Step) => Promise<void>;
  onStepEnd?: (result: StepResult) => Promise<void>;
  /**
   * Once a step's lease is held: was it materialized elsewhere meanwhile? Default: only after a
   * wait, and only if another run recorded it succeeded since this run started.
   */
  doneElsewhere?: (step: Step, info: { waited: boolean }) => Promise<boolean>;
  /** Called periodically while the run executes (cancel requests, heartbeats). */
  onTick?: () => Promise<void>;
  /** Extra fields on every log line of the run (e.g. the schedule that started it). */
  logBindings?: Record<string, unknown>;
  /** Told at once when another process holds the warehouse file, while the wait lasts, and when it ends. */
  onWarehouseWait?: (notice: WarehouseWaitNotice) => void;
}

/** Pools that cap how many steps of one source run at once (partition-level, on top of HTTP limits). */
const SOURCE_POOL_LIMIT = 2;

/**
 * Executes a prepared plan and records it: the run, its events and every step's materialization.
 * Each step holds a lease on (asset, partition), so two processes never materialize the same one
 * at once; a killed process's leases expire.
 */
export async function executePrepared(
  ws: Workspace,
  prepared: PreparedRun,
  request: MaterializeRequest,
  options: ExecuteOptions = {},
): Promise<RunSummary> {
  // Aborted by the caller, by a cancel another process recorded (the web UI), or by this run
  // itself when its leases can no longer be renewed.
  const lost = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
  const warnings = new Map<string, RunWarning>();
  const logger = openRunLogger(ws, {
    onWarning: (w) => {
      // Checks have their own line in the summary; a warned check is not news twice.
      if (w.msg === 'check warned') return;
      const entry = warnings.get(w.msg) ?? { message: w.msg, count: 0, where: [] };
      entry.count++;
      const where = w.asset ? (w.partition ? `${w.asset}[${w.partition}]` : w.asset) : undefined;
      if (where !== undefined && !entry.where.includes(where)) entry.where.push(where);
      warnings.set(w.msg, entry);
    },
  }).child({ ...options.logBindings, run_id: prepared.runId });
  const state = options.state ?? (await openStateStore(ws));
  const t0 = performance.now();
  const startedAt = ws.clock.now().toISOString();
  const leases = createStepLeases({
    state,
    clock: ws.clock,
    runId: prepared.runId,
    doneElsewhere:
      options.doneElsewhere ??
      (async (step, { waited }) => {
        if (!waited) return false;
        const keys = new Set(step.range ?? [step.partition]);
        const fresh = (await state.listMaterializations({ asset: step.asset })).filter(
          (m) => m.status === 'succeeded' && m.runId !== prepared.runId && m.endedAt >= startedAt && keys.has(m.partition),
        );
        return new Set(fresh.map((m) => m.partition)).size === keys.size;
      }),
    onTick: async () => {
      await state.heartbeatRun(prepared.runId, ws.clock.now().toISOString());
      if ((await state.getRun(prepared.runId))?.cancelRequestedAt) {
        logger.warn('cancel requested by another process: canceling the run');
        lost.abort();
      }
      await options.onTick?.();
    },
    onLeaseLost: (error) => {
      logger.error({ err: String(error) }, 'step leases could not be renewed: canceling the run before another process takes them');
      lost.abort();
    },
  });
  // OpenLineage run events per step; column lineage is parsed once, when a model step first runs.
  const openLineage = createOpenLineageEmitter({
    config: ws.config,
    clock: ws.clock,
    logger,
    runId: prepared.runId,
    parentJob: request.kind ?? 'materialize',
    describeAsset: (key) => describeStepAsset(ws.graph, ws.project, key),
    lineage: () => projectLineage(ws.lineageProject),
  });
  try {
    const resources = await openPipelineResources({
      config: ws.config, project: ws.project, logger, rawEntities: RAW_ENTITIES, state, clock: ws.clock, runId: prepared.runId,
      ...(options.onWarehouseWait ? { onWarehouseWait: options.onWarehouseWait } : {}),
    });
    try {
      const now = ws.clock.now().toISOString();
      await state.createRun({
        runId: prepared.runId,
        kind: request.kind ?? 'materialize',
        selection: request.select,
        partitions: describePartitions(prepared.partitions),
        startedAt: now,
        owner: ownerId('run'),
        heartbeatAt: now,
      });
      await state.appendEvent({
        runId: prepared.runId, ts: now, type: 'RUN_START', asset: null, partition: null,
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
        poolLimits: poolLimits(ws, request),
        poolsOf: (step) => [
          `asset:${step.asset}`,
          ...(ws.graph.get(step.asset).kind === 'ingestion' ? [`source:${step.asset.split('/')[0]}`] : []),
        ],
        acquire: leases.acquire,
        signal,
        onProgress: options.onProgress,
        onStepStart: async (step) => {
          await openLineage.onStepStart(step);
          await options.onStepStart?.(step);
        },
        onStepEnd: async (result) => {
          await openLineage.onStepEnd(result);
          await options.onStepEnd?.(result);
        },
      });
      // Readers (gmp query, gmp serve, BI tools) read the marts published here while a run holds
      // the warehouse. Superseded lake files go after it, once the raw views no longer name them.
      if (steps.some((s) => s.status === 'succeeded')) {
        const publication = await resources.warehouse
          .publishSnapshot({ runId: prepared.runId, publishedAt: ws.clock.now().toISOString() })
          .catch((error: unknown) => {
            logger.warn({ err: String(error) }, 'could not publish the marts for readers: they keep reading the previous publication');
            return undefined;
          });
        if (publication) {
          const { path, relations, bytes, ms } = publication;
          await state.appendEvent({
            runId: prepared.runId, ts: ws.clock.now().toISOString(), type: 'LOG', asset: null, partition: null,
            message: `published ${relations.length} relations for readers (${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s)`,
            data: { publication: { path, relations: relations.length, bytes, ms: Math.round(ms) } },
          });
        }
      }
      await resources.runAfterRun();
      const status: RunStatus = signal.aborted ? 'canceled' : steps.every((s) => s.status === 'succeeded') ? 'succeeded' : 'failed';
      const firstError = steps.find((s) => s.status === 'failed')?.error?.message ?? null;
      await state.finishRun(prepared.runId, status, ws.clock.now().toISOString(), firstError);
      await state.appendEvent({
        runId: prepared.runId, ts: ws.clock.now().toISOString(), type: 'RUN_END', asset: null, partition: null, message: status, data: null,
      });
      const requests = steps.reduce((n, s) => n + (s.result?.requests ?? (s.error ? (requestsOf(s.error) ?? 0) : 0)), 0);
      const digest = summarizeRun(steps, (asset) => ws.graph.get(asset).kind);
      return { runId: prepared.runId, status, steps, durationMs: performance.now() - t0, requests, digest, warnings: [...warnings.values()] };
    } finally {
      await openLineage.flush();
      await resources.close();
    }
  } finally {
    await leases.close();
    if (!options.state) await state.close();
  }
}

// Caps: per source (partitions fetched at once; the HTTP client separately caps requests) and,
// when asked, per asset.
function poolLimits(ws: Workspace, request: MaterializeRequest): Record<string, number> {
  const limits: Record<string, number> = { 'source:rawg': SOURCE_POOL_LIMIT };
  if (request.maxPerAsset !== undefined) for (const key of ws.graph.order) limits[`asset:${key}`] = request.maxPerAsset;
  return limits;
}
