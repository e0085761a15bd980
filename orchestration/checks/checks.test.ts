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
});
