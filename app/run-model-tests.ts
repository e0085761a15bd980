import { UsageError, resolvePartitionKey, type PartitionKey } from '../core/index.js';
import { executePrepared } from './execute-prepared.js';
import { prepareRun } from './materialize.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';
import { type RunProgressEvent, type RunStatus, selectAssets } from '../orchestration/index.js';

export interface ModelTestRequest {
  /** Models (asset selection syntax: `marts/dim_games`, `marts/*`, `+marts/dim_games`); default every model. */
  select?: string;
  /** Test this one partition of partitioned models instead of every one recorded as materialized. */
  partition?: string;
}

/** One test on one partition (null for unpartitioned models). */
export interface TestOutcome {
  /** The check's graph key, `checks/marts/dim_games/unique_game_id`. */
  key: string;
  asset: string;
  test: string;
  description: string;
  severity: 'error' | 'warn';
  partition: PartitionKey | null;
  /** `error`: the test itself could not run (e.g. its SQL failed). */
  status: 'passed' | 'warned' | 'failed' | 'error' | 'skipped';
  failing: number | null;
  samples: Record<string, unknown>[];
  message?: string;
}

export interface ModelTestReport {
  /** The run that executed the tests (in `gmp runs`); null when there was nothing to test. */
  runId: string | null;
  runStatus: RunStatus | null;
  outcomes: TestOutcome[];
  /** Models with tests that were not tested, and why (never materialized, partition not materialized). */
  skipped: { asset: string; reason: string }[];
  counts: Record<TestOutcome['status'], number>;
  /** False when an error-severity test failed or a test could not run. */
  ok: boolean;
  durationMs: number;
}

/**
 * `gmp test`: runs the check nodes of the selected models against what is already materialized
 * (no ingestion, no rebuild) as a recorded run — unpartitioned models if recorded materialized,
 * partitioned ones over their recorded partitions (or `partition`).
 */
export async function runModelTests(
  ws: Workspace,
  request: ModelTestRequest,
  options: { signal?: AbortSignal; onProgress?: (e: RunProgressEvent) => void } = {},
): Promise<ModelTestReport> {
  const t0 = performance.now();
  const models = new Set(ws.project.models.map((m) => `${m.schema}/${m.name}`));
  const picked = request.select === undefined ? [...models] : selectAssets(ws.graph, request.select).filter((k) => ws.graph.get(k).kind !== 'check');
  const checksOf = new Map<string, string[]>();
  for (const key of ws.graph.order) {
    const def = ws.graph.get(key);
    if (def.kind !== 'check') continue;
    const asset = def.deps[0]!.key;
    if (picked.includes(asset)) checksOf.set(asset, [...(checksOf.get(asset) ?? []), key]);
  }
  if (request.select !== undefined && checksOf.size === 0) {
    throw new UsageError(`no tests on ${request.select}`, { hint: 'tests live in models/**/*.yml and models/tests/*.sql; `gmp assets` lists the check nodes' });
  }
  const only = request.partition === undefined ? undefined : resolvePartitionKey(request.partition, ws.clock.now());

  // What is recorded as materialized, per tested asset.
  const recorded = new Map<string, Set<PartitionKey | null>>();
  const state = stateExists(ws) ? await openStateStore(ws) : undefined;
  try {
    for (const asset of checksOf.keys()) {
      const rows = state ? await state.latestByPartition(asset) : [];
      recorded.set(asset, new Set(rows.filter((r) => r.status === 'succeeded').map((r) => r.partition)));
    }
  } finally {
    await state?.close();
  }
  const skipped: ModelTestReport['skipped'] = [];
  const wanted = new Map<string, Set<PartitionKey | null>>();
  for (const [asset, done] of recorded) {
    const daily = ws.graph.get(asset).partitions.type !== 'unpartitioned';
    const keys = daily ? [...done].filter((p) => p !== null && (only === undefined || p === only)) : done.has(null) ? [null] : [];
    if (keys.length === 0) {
      skipped.push({ asset, reason: daily && only !== undefined ? `partition ${only} is not materialized` : 'not materialized yet' });
      continue;
    }
    wanted.set(asset, new Set(keys));
  }
  const checkKeys = [...wanted.keys()].flatMap((a) => checksOf.get(a)!);
  const empty: ModelTestReport = { runId: null, runStatus: null, outcomes: [], skipped, counts: countOf([]), ok: true, durationMs: performance.now() - t0 };
  if (checkKeys.length === 0) return empty;

  const partitions = [...wanted.values()].flatMap((s) => [...s]).filter((p): p is PartitionKey => p !== null).sort();
  const select = checkKeys.join(',');
  const runRequest = { select, kind: 'test', ...(partitions.length > 0 ? { from: partitions[0], to: partitions[partitions.length - 1] } : {}) };
  const prepared = prepareRun(ws, runRequest);
  // The plan covers the span of recorded partitions; test only the ones each model has.
  const steps = prepared.steps.filter((s) => wanted.get(ws.graph.get(s.asset).deps[0]!.key)?.has(s.partition) ?? false);
  const outcomesState = await openStateStore(ws);
  try {
    const run = await executePrepared(ws, { ...prepared, steps }, runRequest, { state: outcomesState, signal: options.signal, onProgress: options.onProgress });
    const outcomes: TestOutcome[] = [];
    const results = new Map<string, Awaited<ReturnType<typeof outcomesState.latestCheckResults>>>();
    for (const s of run.steps) {
      const def = ws.graph.get(s.step.asset);
      const asset = def.deps[0]!.key;
      if (!results.has(asset)) results.set(asset, (await outcomesState.latestCheckResults(asset)).filter((r) => r.runId === run.runId));
      const test = s.step.asset.slice(`checks/${asset}/`.length);
      const r = results.get(asset)!.find((x) => x.check === test && x.partition === s.step.partition);
      const meta = r?.metadata ?? {};
      outcomes.push({
        key: s.step.asset,
        asset,
        test,
        description: def.description.replace(/^[^:]*: /, ''),
        severity: def.tags.includes('warn') ? 'warn' : 'error',
        partition: s.step.partition,
        status: r ? r.status === 'warned' ? 'warned' : r.status === 'failed' ? 'failed' : 'passed' : s.status === 'skipped' ? 'skipped' : 'error',
        failing: typeof meta.failing === 'number' ? meta.failing : null,
        samples: Array.isArray(meta.samples) ? (meta.samples as Record<string, unknown>[]) : [],
        ...(r === undefined && s.error ? { message: s.error.message } : {}),
      });
    }
    // Grouped by model in graph order, then by test and partition, to read like a report.
    const rank = new Map(ws.graph.order.map((k, i) => [k, i]));
    outcomes.sort((x, y) => rank.get(x.asset)! - rank.get(y.asset)! || x.test.localeCompare(y.test) || String(x.partition).localeCompare(String(y.partition)));
    const ok = outcomes.every((o) => o.status !== 'failed' && o.status !== 'error');
    return { runId: run.runId, runStatus: run.status, outcomes, skipped, counts: countOf(outcomes), ok, durationMs: performance.now() - t0 };
  } finally {
    await outcomesState.close();
  }
}

function countOf(outcomes: readonly TestOutcome[]): Record<TestOutcome['status'], number> {
  const counts = { passed: 0, warned: 0, failed: 0, error: 0, skipped: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}
