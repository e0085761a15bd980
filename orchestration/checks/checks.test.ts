import { describe, expect, it } from 'vitest';
import { dailyPartitions, fixedClock, silentLogger, type AssetDefinition } from '../../core/index.js';
import { createDuckDbWarehouse, type Warehouse } from '../../warehouse/index.js';
import { executeRun, planRun } from '../execute/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { createSqliteStateStore, type StateStore } from '../state/index.js';
import { createCheckAssets, wireBlockingChecks, type CheckSpec } from './index.js';

interface R {
  warehouse: Warehouse;
  state: StateStore;
}
const clock = fixedClock('2024-06-01T00:00:00Z');
const table = (key: string, deps: string[], sql: (p: string) => string[]): AssetDefinition<R> => ({
  key, description: key, deps: deps.map((d) => ({ key: d })), partitions: dailyPartitions('2024-01-01'), group: 't', kind: 'table', tags: [],
  async materialize(ctx) {
    await ctx.resources.warehouse.execute(sql(ctx.partitionKey!));
    return {};
  },
});
const checks: CheckSpec[] = [
  { asset: 't/src', name: 'unique_id', description: 'ids are unique', severity: 'error', blocking: true,
    sql: (_w, p) => `SELECT COUNT(*) - COUNT(DISTINCT id) AS failing FROM src WHERE dt = DATE '${p}'` },
  { asset: 't/src', name: 'small_ids', description: 'ids below 100', severity: 'warn', blocking: false,
    sql: (_w, p) => `SELECT COUNT(*) AS failing FROM src WHERE dt = DATE '${p}' AND id >= 100` },
];

describe('asset checks', () => {
  it('record a result per partition, warn without failing, and hold back downstream when blocking', async () => {
    const warehouse = await createDuckDbWarehouse({ path: ':memory:' });
    await warehouse.execute(['CREATE TABLE src (dt DATE, id INT)', 'CREATE TABLE out (dt DATE, n INT)']);
    const base = [
      // Day 2 has a duplicate id (blocking check fails) and an id >= 100 (warning).
      table('t/src', [], (p) => [`INSERT INTO src VALUES (DATE '${p}', 1), (DATE '${p}', ${p.endsWith('02') ? '1), (DATE \'' + p + '\', 500' : '2'})`]),
      table('t/out', ['t/src'], (p) => [`INSERT INTO out SELECT DATE '${p}', count(*) FROM src WHERE dt = DATE '${p}'`]),
    ];
    const graph = buildAssetGraph(wireBlockingChecks([...base, ...createCheckAssets(checks, new Map(base.map((a) => [a.key, a])))], checks));
    expect(graph.upstream('t/out').map((d) => d.key)).toEqual(['t/src', 'checks/t/src/unique_id']);
    const state = createSqliteStateStore(':memory:');
    const steps = planRun(graph, { assets: graph.order, partitions: ['2024-05-01', '2024-05-02'] }, clock);
    const results = await executeRun({
      runId: 'r', steps, assets: graph.assets, resources: { warehouse, state }, state, clock, logger: silentLogger, concurrency: 1,
      signal: new AbortController().signal,
    });
    const status = Object.fromEntries(results.map((r) => [r.step.id, r.status]));
    expect(status).toMatchObject({
      'checks/t/src/unique_id[2024-05-01]': 'succeeded',
      'checks/t/src/unique_id[2024-05-02]': 'failed',
      'checks/t/src/small_ids[2024-05-02]': 'succeeded',
      't/out[2024-05-01]': 'succeeded',
      't/out[2024-05-02]': 'skipped',
    });
    const failed = results.find((r) => r.step.id === 'checks/t/src/unique_id[2024-05-02]')!;
    expect(failed.error?.message).toMatch(/check unique_id on t\/src failed: 1 row\(s\) violate "ids are unique"/);
    const recorded = await state.latestCheckResults('t/src');
    expect(recorded.map((c) => [c.check, c.partition, c.status, c.metadata?.failing]).sort()).toEqual([
      ['small_ids', '2024-05-01', 'passed', 0],
      ['small_ids', '2024-05-02', 'warned', 1],
      ['unique_id', '2024-05-01', 'passed', 0],
      ['unique_id', '2024-05-02', 'failed', 1],
    ]);
    await warehouse.close();
  });

  it('check a range in one query when it is clean, else each partition alone, so every result stays exact', async () => {
    const warehouse = await createDuckDbWarehouse({ path: ':memory:' });
    await warehouse.execute(['CREATE TABLE src (dt DATE, id INT)']);
    let queries = 0;
    const counting: Warehouse = { ...warehouse, query: (sql, options) => (queries++, warehouse.query(sql, options)) };
    // A model-like asset built over the whole range in one step.
    const src: AssetDefinition<R> = { ...table('t/src', [], () => []), supportsRanges: true };
    const unique: CheckSpec = {
      asset: 't/src', name: 'unique_id_per_day', description: 'ids are unique within a day', severity: 'error', blocking: true,
      sql: (_w, p) => `SELECT COUNT(*) - COUNT(DISTINCT id) AS failing FROM src WHERE dt = DATE '${p}'`,
      // Over a range the same rule counts ids repeated on other days too: a range with rows is re-checked per day.
      rangeSql: (_w, r) => `SELECT COUNT(*) - COUNT(DISTINCT id) AS failing FROM src WHERE dt BETWEEN DATE '${r.start}' AND DATE '${r.end}'`,
    };
    const graph = buildAssetGraph([src, ...createCheckAssets([unique], new Map([[src.key, src]]))]);
    const days = ['2024-05-01', '2024-05-02', '2024-05-03'];
    const run = async (runId: string) => {
      const state = createSqliteStateStore(':memory:');
      const steps = planRun(graph, { assets: graph.order, partitions: days }, clock, { rangeSteps: true });
      queries = 0;
      const results = await executeRun({
        runId, steps, assets: graph.assets, resources: { warehouse: counting, state }, state, clock, logger: silentLogger, concurrency: 1,
        signal: new AbortController().signal,
      });
      const recorded = (await state.latestCheckResults('t/src')).map((c) => [c.partition, c.status, c.metadata?.failing]).sort();
      return { results, recorded, queries };
    };

    // Clean: one step, one query, a passed result for every day.
    await warehouse.execute([`INSERT INTO src VALUES ${days.map((d, i) => `(DATE '${d}', ${i})`).join(', ')}`]);
    const clean = await run('clean');
    expect(clean.results.map((r) => [r.step.id, r.status])).toEqual([
      ['t/src[2024-05-01..2024-05-03]', 'succeeded'],
      ['checks/t/src/unique_id_per_day[2024-05-01..2024-05-03]', 'succeeded'],
    ]);
    expect(clean.queries).toBe(1);
    expect(clean.recorded).toEqual(days.map((d) => [d, 'passed', 0]));

    // Id 7 on every day: rows over the range, none within a day — each day passes on its own.
    await warehouse.execute([`INSERT INTO src VALUES ${days.map((d) => `(DATE '${d}', 7)`).join(', ')}`]);
    const acrossDays = await run('across-days');
    expect(acrossDays.results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(acrossDays.recorded).toEqual(days.map((d) => [d, 'passed', 0]));
    expect(acrossDays.queries).toBe(1 + days.length);

    // A duplicate on day 2 alone: that day fails, the others pass, and the step names it.
    await warehouse.execute([`INSERT INTO src VALUES (DATE '2024-05-02', 7)`]);
    const dirty = await run('dirty');
    const check = dirty.results.find((r) => r.step.asset.startsWith('checks/'))!;
    expect(check.status).toBe('failed');
    expect(check.error?.message).toMatch(/check unique_id_per_day on t\/src failed: 1 row\(s\) violate "ids are unique within a day" in 1 of 3 partitions/);
    expect(dirty.recorded).toEqual([
      ['2024-05-01', 'passed', 0],
      ['2024-05-02', 'failed', 1],
      ['2024-05-03', 'passed', 0],
    ]);
    await warehouse.close();
  });
});
