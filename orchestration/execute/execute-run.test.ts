import { describe, expect, it } from 'vitest';
import {
  GmpError,
  UsageError,
  dailyPartitions,
  fixedClock,
  manualClock,
  retryDelayMs,
  silentLogger,
  unpartitioned,
  type AssetDefinition,
} from '../../core/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { selectAssets } from '../selection/index.js';
import { createSqliteStateStore } from '../state/index.js';
import { executeRun } from './execute-run.js';
import { planRun } from './plan-run.js';

const clock = fixedClock('2024-06-01T12:00:00Z');
type Log = string[];

function asset(key: string, deps: string[], daily: boolean, group = key.split('/')[0]!, fail?: string): AssetDefinition<Log> {
  return {
    key,
    description: key,
    deps: deps.map((d) => ({ key: d })),
    partitions: daily ? dailyPartitions('2024-01-01') : unpartitioned,
    group,
    kind: daily && group === 'rawg' ? 'ingestion' : 'table',
    tags: key === 'rawg/genres' ? ['nightly'] : [],
    async materialize(ctx) {
      if (fail !== undefined && ctx.partitionKey === fail) throw new Error(`boom on ${fail}`);
      ctx.resources.push(`${key}@${ctx.partitionKey ?? '-'}`);
      return { rows: 1 };
    },
  };
}

/**
 * Measures how many steps the executor really runs at once, without timers: a step calling `pass`
 * waits there until every step the executor has launched (its `acquire` ran) and not yet ended is
 * waiting too; then all go on together. `peak` is the most that waited together.
 */
function parallelismGate() {
  const unfinished = new Set<string>();
  let waiting: (() => void)[] = [];
  let peak = 0;
  const check = (): void => {
    if (waiting.length === 0 || waiting.length < unfinished.size) return;
    peak = Math.max(peak, waiting.length);
    const held = waiting;
    waiting = [];
    for (const release of held) release();
  };
  return {
    pass: (): Promise<void> =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        check();
      }),
    /** For executeRun: the launch of a step (called synchronously when the executor starts it). */
    acquire: (step: { id: string }): Promise<{ release: () => Promise<void> }> => {
      unfinished.add(step.id);
      return Promise.resolve({ release: () => Promise.resolve() });
    },
    /** For executeRun: a step's end. */
    onProgress: (e: { type: string; step: { id: string } }): void => {
      if (e.type !== 'step_end') return;
      unfinished.delete(e.step.id);
      check();
    },
    get peak() {
      return peak;
    },
  };
}

const graph = (failOn?: string) =>
  buildAssetGraph<Log>([
    asset('rawg/games', [], true, 'rawg', failOn),
    asset('rawg/genres', [], false),
    asset('staging/stg_games', ['rawg/games'], false),
    asset('marts/fct', ['staging/stg_games'], true, 'marts'),
    asset('marts/dim', ['staging/stg_games', 'rawg/genres'], false),
  ]);

describe('selection', () => {
  const g = graph();
  it.each([
    ['rawg/games', ['rawg/games']],
    ['rawg/games+', ['rawg/games', 'staging/stg_games', 'marts/dim', 'marts/fct']],
    ['+marts/dim', ['rawg/games', 'rawg/genres', 'staging/stg_games', 'marts/dim']],
    ['group:marts', ['marts/dim', 'marts/fct']],
    ['marts/*, rawg/genres', ['rawg/genres', 'marts/dim', 'marts/fct']],
    ['rawg/games+1', ['rawg/games', 'staging/stg_games']],
    ['1+marts/dim', ['marts/dim', 'staging/stg_games', 'rawg/genres']],
    ['2+marts/fct', ['marts/fct', 'staging/stg_games', 'rawg/games']],
    ['kind:ingestion', ['rawg/games']],
    ['tag:nightly', ['rawg/genres']],
    ['*', ['rawg/games', 'rawg/genres', 'staging/stg_games', 'marts/dim', 'marts/fct']],
  ])('%s', (selection, expected) => {
    expect(selectAssets(g, selection).sort()).toEqual([...expected].sort());
  });

  it('removes --exclude terms from the union', () => {
    expect(selectAssets(g, 'rawg/games+', 'marts/*').sort()).toEqual(['rawg/games', 'staging/stg_games']);
    expect(() => selectAssets(g, 'marts/dim', 'group:marts')).toThrow(/empty after --exclude/);
  });

  it('rejects unknown terms with a suggestion', () => {
    expect(() => selectAssets(g, 'rawg/gmes')).toThrow(/no asset matches "rawg\/gmes" \(did you mean rawg\/games/);
    expect(() => selectAssets(g, 'rawg/games', 'nope')).toThrow(/"nope" in --exclude/);
    expect(() => selectAssets(g, 'rawg/gmes')).toThrow(UsageError);
  });
});

describe('planRun', () => {
  const g = graph();
  it('plans daily steps per partition and one step for unpartitioned assets, with identity and all deps', () => {
    const steps = planRun(g, { assets: selectAssets(g, 'rawg/games+'), partitions: ['2024-05-01', '2024-05-02'] }, clock);
    expect(steps.map((s) => [s.id, s.needs])).toEqual([
      ['rawg/games[2024-05-01]', []],
      ['rawg/games[2024-05-02]', []],
      ['staging/stg_games', ['rawg/games[2024-05-01]', 'rawg/games[2024-05-02]']],
      ['marts/dim', ['staging/stg_games']],
      ['marts/fct[2024-05-01]', ['staging/stg_games']],
      ['marts/fct[2024-05-02]', ['staging/stg_games']],
    ]);
  });

  it('requires partitions for daily assets and refuses keys outside the definition', () => {
    expect(() => planRun(g, { assets: ['rawg/games'], partitions: null }, clock)).toThrow(/partitioned by day: pass --partition/);
    expect(() => planRun(g, { assets: ['rawg/games'], partitions: ['2023-12-31'] }, clock)).toThrow(/outside rawg\/games/);
    expect(() => planRun(g, { assets: ['rawg/genres'], partitions: ['2024-05-01'] }, clock)).toThrow(/none of the selected assets is partitioned/);
  });
});

describe('executeRun', () => {
  it('runs steps after their upstreams, records materializations, and skips downstream of a failure', async () => {
    const g = graph('2024-05-02');
    const state = createSqliteStateStore(':memory:');
    const log: Log = [];
    const steps = planRun(g, { assets: selectAssets(g, '*'), partitions: ['2024-05-01', '2024-05-02'] }, clock);
    await state.createRun({ runId: 'r1', kind: 'test', selection: '*', partitions: '2', startedAt: clock.now().toISOString() });
    const results = await executeRun({
      runId: 'r1', steps, assets: g.assets, resources: log, state, clock, logger: silentLogger, concurrency: 3,
      signal: new AbortController().signal,
    });
    const status = Object.fromEntries(results.map((r) => [r.step.id, r.status]));
    expect(status).toEqual({
      'rawg/games[2024-05-01]': 'succeeded',
      'rawg/games[2024-05-02]': 'failed',
      'rawg/genres': 'succeeded',
      'staging/stg_games': 'skipped',
      'marts/dim': 'skipped',
      'marts/fct[2024-05-01]': 'skipped',
      'marts/fct[2024-05-02]': 'skipped',
    });
    expect(log.sort()).toEqual(['rawg/games@2024-05-01', 'rawg/genres@-']);
    const failed = results.find((r) => r.status === 'failed')!;
    expect(failed.error?.message).toBe('rawg/games [2024-05-02]: boom on 2024-05-02');
    const recorded = await state.listMaterializations({ runId: 'r1' });
    expect(recorded).toHaveLength(7);
    expect(await state.latestByPartition('rawg/games')).toEqual([
      expect.objectContaining({ partition: '2024-05-01', status: 'succeeded' }),
      expect.objectContaining({ partition: '2024-05-02', status: 'failed' }),
    ]);
    const events = await state.listEvents('r1');
    expect(events.filter((e) => e.type === 'STEP_START')).toHaveLength(3);
    await state.close();
  });

  it('never runs more steps at once than the concurrency limit', async () => {
    const gate = parallelismGate();
    const defs: AssetDefinition<null>[] = Array.from({ length: 12 }, (_, i) => ({
      key: `a/n${i}`, description: '', deps: [], partitions: unpartitioned, group: 'a', kind: 'table', tags: [],
      async materialize() {
        await gate.pass();
        return {};
      },
    }));
    const g = buildAssetGraph(defs);
    const state = createSqliteStateStore(':memory:');
    const steps = planRun(g, { assets: g.order, partitions: null }, clock);
    const results = await executeRun({
      runId: 'r', steps, assets: g.assets, resources: null, state, clock, logger: silentLogger, concurrency: 3, signal: new AbortController().signal,
      acquire: gate.acquire, onProgress: gate.onProgress,
    });
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(gate.peak).toBe(3);
  });
});

describe('executeRun with pools, leases and cancellation', () => {
  const daily = (key: string, log: string[], gate?: { pass: () => Promise<void> }): AssetDefinition<null> => ({
    key, description: '', deps: [], partitions: dailyPartitions('2024-01-01'), group: 'p', kind: 'table', tags: [],
    async materialize(ctx) {
      log.push(`start ${key}@${ctx.partitionKey}`);
      await gate?.pass();
      log.push(`end ${key}@${ctx.partitionKey}`);
      return {};
    },
  });
  const days = ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04'];

  it('caps a pool below the global concurrency', async () => {
    const log: string[] = [];
    const gate = parallelismGate();
    const g = buildAssetGraph([daily('p/a', log, gate)]);
    const steps = planRun(g, { assets: g.order, partitions: days }, clock);
    const results = await executeRun({
      runId: 'r', steps, assets: g.assets, resources: null, state: createSqliteStateStore(':memory:'), clock, logger: silentLogger,
      concurrency: 4, poolLimits: { rawg: 2 }, poolsOf: () => ['rawg'], signal: new AbortController().signal,
      acquire: gate.acquire, onProgress: gate.onProgress,
    });
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(gate.peak).toBe(2);
  });

  it('skips a step another process finished while this one waited for its lease', async () => {
    const log: string[] = [];
    const g = buildAssetGraph([daily('p/a', log)]);
    const steps = planRun(g, { assets: g.order, partitions: days.slice(0, 2) }, clock);
    const released: string[] = [];
    const results = await executeRun({
      runId: 'r', steps, assets: g.assets, resources: null, state: createSqliteStateStore(':memory:'), clock, logger: silentLogger,
      concurrency: 2, signal: new AbortController().signal,
      acquire: async (step) => (step.partition === '2024-05-01' ? 'already-done' : { release: async () => void released.push(step.id) }),
    });
    expect(results.map((r) => [r.step.id, r.status, r.result?.metadata?.already_done ?? false])).toEqual([
      ['p/a[2024-05-01]', 'succeeded', true],
      ['p/a[2024-05-02]', 'succeeded', false],
    ]);
    expect(log).toEqual(['start p/a@2024-05-02', 'end p/a@2024-05-02']);
    expect(released).toEqual(['p/a[2024-05-02]']);
  });

  it('cancels what has not started when the run is aborted', async () => {
    const log: string[] = [];
    const g = buildAssetGraph([daily('p/a', log)]);
    const steps = planRun(g, { assets: g.order, partitions: days }, clock);
    const controller = new AbortController();
    const results = await executeRun({
      runId: 'r', steps, assets: g.assets, resources: null, state: createSqliteStateStore(':memory:'), clock, logger: silentLogger,
      concurrency: 1, signal: controller.signal,
      // Aborted while the first step runs: it finishes, nothing after it starts.
      onProgress: (e) => e.type === 'step_start' && controller.abort(),
    });
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'canceled', 'canceled', 'canceled']);
    expect(log).toEqual(['start p/a@2024-05-01', 'end p/a@2024-05-01']);
  });
});

describe('executeRun with a slow state store', () => {
  it('settles everything downstream of a failure before returning, while an independent step finishes', async () => {
    const base = createSqliteStateStore(':memory:');
    // x/a fails; x/b finishes only once that failure is recorded, and the skips of a's downstream
    // are recorded only once b has finished: the run is over only when those skips are written.
    let aFailed = (): void => undefined;
    let bSucceeded = (): void => undefined;
    const afterAFailed = new Promise<void>((resolve) => (aFailed = resolve));
    const afterBSucceeded = new Promise<void>((resolve) => (bSucceeded = resolve));
    const state = new Proxy(base, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const record = args[0] as { asset?: string; type?: string; status?: string };
          if (prop === 'recordMaterialization' && record.status === 'skipped') await afterBSucceeded;
          const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
          if (prop === 'appendEvent' && record.asset === 'x/a' && record.type === 'STEP_FAILURE') aFailed();
          if (prop === 'appendEvent' && record.asset === 'x/b' && record.type === 'STEP_SUCCESS') bSucceeded();
          return result;
        };
      },
    });
    const step = (key: string, deps: string[], body: () => Promise<void>): AssetDefinition<null> => ({
      key, description: '', deps: deps.map((d) => ({ key: d })), partitions: unpartitioned, group: 'x', kind: 'table', tags: [],
      async materialize() {
        await body();
        return {};
      },
    });
    const g = buildAssetGraph([
      step('x/a', [], () => Promise.reject(new Error('boom'))),
      step('x/b', [], () => afterAFailed),
      step('x/c', ['x/a'], () => Promise.resolve()),
      step('x/d', ['x/c'], () => Promise.resolve()),
    ]);
    const steps = planRun(g, { assets: g.order, partitions: null }, clock);
    const results = await executeRun({ runId: 'r', steps, assets: g.assets, resources: null, state, clock, logger: silentLogger, concurrency: 4, signal: new AbortController().signal });
    expect(Object.fromEntries(results.map((r) => [r.step.id, r.status]))).toEqual({ 'x/a': 'failed', 'x/b': 'succeeded', 'x/c': 'skipped', 'x/d': 'skipped' });
    expect(await base.listMaterializations({ runId: 'r' })).toHaveLength(4);
  });

  it('records a succeeded step once even when a hook fails while recording it', async () => {
    const g = buildAssetGraph([asset('a/one', [], false), asset('a/two', [], false)]);
    const state = createSqliteStateStore(':memory:');
    const steps = planRun(g, { assets: g.order, partitions: null }, clock);
    let failOnce = true;
    await expect(
      executeRun({
        runId: 'r', steps, assets: g.assets, resources: [] as string[], state, clock, logger: silentLogger, concurrency: 2, signal: new AbortController().signal,
        onStepEnd: async () => {
          if (failOnce) {
            failOnce = false;
            throw new Error('state blip');
          }
        },
      }),
    ).rejects.toThrow('state blip');
    expect((await state.listMaterializations({ runId: 'r' })).filter((m) => m.status === 'failed')).toEqual([]);
  });
});

describe('buildAssetGraph', () => {
  it('reports every definition problem at once', () => {
    const a = asset('x/a', ['x/missing'], false);
    const b = asset('x/b', ['x/c'], false);
    const c = asset('x/c', ['x/b'], false);
    expect(() => buildAssetGraph([a, b, c, a])).toThrow(
      /3 definition problems:[\s\S]*defined twice[\s\S]*unknown asset x\/missing[\s\S]*cycle among: x\/b, x\/c/,
    );
  });
});

describe('executeRun with a retry policy', () => {
  const flaky = (failures: number, retryable: boolean, policy?: AssetDefinition<null>['retryPolicy']) => {
    let attempts = 0;
    const def: AssetDefinition<null> = {
      key: 'a/flaky', description: '', deps: [], partitions: unpartitioned, group: 'a', kind: 'table', tags: [],
      ...(policy ? { retryPolicy: policy } : {}),
      async materialize() {
        attempts++;
        if (attempts <= failures) throw new GmpError('HTTP_TIMEOUT', `timed out (attempt ${attempts})`, { retryable });
        return { rows: attempts };
      },
    };
    return { def, attempts: () => attempts };
  };
  /** Runs `def` alone on a manual clock, moving the clock over every retry wait; `waits` lists them. */
  const run = async (def: AssetDefinition<null>, signal = new AbortController().signal) => {
    const g = buildAssetGraph([def]);
    const state = createSqliteStateStore(':memory:');
    const retryClock = manualClock('2024-06-01T12:00:00Z');
    const steps = planRun(g, { assets: g.order, partitions: null }, retryClock);
    const running = executeRun({ runId: 'r', steps, assets: g.assets, resources: null, state, clock: retryClock, logger: silentLogger, concurrency: 1, signal });
    const waits: number[] = [];
    for (;;) {
      const next = await Promise.race([retryClock.nextSleep(), running.then(() => null)]);
      if (next === null) break;
      waits.push(next);
      retryClock.advance(next);
    }
    const [result] = await running;
    return { result: result!, events: await state.listEvents('r'), waits };
  };

  it('runs a step again after a retryable failure, up to maxRetries, waiting on the run clock and recording each retry', async () => {
    const f = flaky(2, true, { maxRetries: 2, delayMs: 1_000, backoff: 'exponential' });
    const { result, events, waits } = await run(f.def);
    expect(result.status).toBe('succeeded');
    expect(f.attempts()).toBe(3);
    expect(result.result?.rows).toBe(3);
    expect(waits).toEqual([1_000, 2_000]);
    expect(events.filter((e) => e.type === 'LOG').map((e) => [e.ts, e.message])).toEqual([
      ['2024-06-01T12:00:00.000Z', 'attempt 1 of 3 failed (timed out (attempt 1)): retrying in 1000 ms'],
      ['2024-06-01T12:00:01.000Z', 'attempt 2 of 3 failed (timed out (attempt 2)): retrying in 2000 ms'],
    ]);
    expect(result.endedAt).toBe('2024-06-01T12:00:03.000Z');
  });

  it('gives up after maxRetries, never retries an error not marked retryable, and retries nothing without a policy', async () => {
    const tooMany = flaky(5, true, { maxRetries: 2, delayMs: 1 });
    expect((await run(tooMany.def)).result.status).toBe('failed');
    expect(tooMany.attempts()).toBe(3);
    const notRetryable = flaky(1, false, { maxRetries: 3, delayMs: 1 });
    const refused = await run(notRetryable.def);
    expect(refused.result.status).toBe('failed');
    expect(refused.waits).toEqual([]);
    expect(notRetryable.attempts()).toBe(1);
    const noPolicy = flaky(1, true);
    expect((await run(noPolicy.def)).result.status).toBe('failed');
    expect(noPolicy.attempts()).toBe(1);
  });

  it('stops waiting and retries no more when the run is canceled during a retry wait', async () => {
    const f = flaky(5, true, { maxRetries: 3, delayMs: 3_600_000 });
    const cancel = new AbortController();
    const g = buildAssetGraph([f.def]);
    const retryClock = manualClock('2024-06-01T12:00:00Z');
    const steps = planRun(g, { assets: g.order, partitions: null }, retryClock);
    const running = executeRun({ runId: 'r', steps, assets: g.assets, resources: null, state: createSqliteStateStore(':memory:'), clock: retryClock, logger: silentLogger, concurrency: 1, signal: cancel.signal });
    expect(await retryClock.nextSleep()).toBe(3_600_000);
    cancel.abort();
    const [result] = await running;
    expect(result!.status).toBe('canceled');
    expect(f.attempts()).toBe(1);
  });

  it('computes constant and exponential waits', () => {
    expect([1, 2, 3].map((n) => retryDelayMs({ maxRetries: 3, delayMs: 100 }, n))).toEqual([100, 100, 100]);
    expect([1, 2, 3].map((n) => retryDelayMs({ maxRetries: 3, delayMs: 100, backoff: 'exponential' }, n))).toEqual([100, 200, 400]);
  });
});
