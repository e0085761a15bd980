import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../core/index.js';
import { loadProject, type Project } from '../transform/index.js';
import { createDuckDbWarehouse, duckDbDialect, type Warehouse } from '../warehouse/index.js';
import { buildAssetGraph, createCheckAssets, createModelAssets, createSqliteStateStore, executeRun, modelTestChecks, planRun, type StateStore, wireBlockingChecks } from '../orchestration/index.js';

interface R {
  warehouse: Warehouse;
  state: StateStore;
  project: Project;
  syncRawViews(signal: AbortSignal): Promise<void>;
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmp-model-tests-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

describe('model tests as checks', () => {
  it('run per partition after their model: error tests hold back downstream, warn tests never do, failing rows are sampled', async () => {
    const p = loadProject({
      dir: project({
        'marts/m.sql': "{{ config(materialized='partitioned', partition_by='dt') }}\nselect * from main.seed where {{ in_partition('dt') }}",
        'marts/down.sql': "{{ config(materialized='partitioned', partition_by='dt') }}\nselect dt, count(*) as n from {{ ref('m') }} where {{ in_partition('dt') }} group by dt",
        'marts/kinds.sql': 'select 1 as id',
        'marts/m.yml': `version: 2
models:
  - name: m
    columns:
      - name: id
        tests: [unique]
      - name: rating
        tests:
          - accepted_range: {min_value: 0, max_value: 5, config: {severity: warn}}
      - name: kind
        tests:
          - relationships: {to: "ref('kinds')", field: id}
`,
      }),
      dialect: duckDbDialect,
    });
    const specs = modelTestChecks(p);
    expect(specs.map((s) => [s.asset, s.name, s.severity, s.blocking])).toEqual([
      ['marts/m', 'unique_id', 'error', true],
      ['marts/m', 'accepted_range_rating', 'warn', false],
      ['marts/m', 'relationships_kind', 'error', true],
    ]);
    const base = createModelAssets<R>(p, '2024-01-01');
    const graph = buildAssetGraph(wireBlockingChecks([...base, ...createCheckAssets(specs, new Map(base.map((a) => [a.key, a])))], specs));
    // A relationships test also waits for the model it reads.
    expect(graph.upstream('checks/marts/m/relationships_kind').map((d) => d.key)).toEqual(['marts/m', 'marts/kinds']);
    expect(graph.upstream('marts/down').map((d) => d.key).sort()).toEqual(['checks/marts/m/relationships_kind', 'checks/marts/m/unique_id', 'marts/m']);

    const warehouse = await createDuckDbWarehouse({ path: ':memory:' });
    const state = createSqliteStateStore(':memory:');
    try {
      // Day 1 is clean but for a rating of 7 (a warning); day 2 repeats id 2 (an error).
      await warehouse.execute([
        'CREATE TABLE main.seed (dt DATE, id INT, rating DOUBLE, kind INT)',
        "INSERT INTO main.seed VALUES (DATE '2024-05-01', 1, 7, 1), (DATE '2024-05-01', 2, 3, 1), (DATE '2024-05-02', 2, 1, 1), (DATE '2024-05-02', 2, 2, 1)",
      ]);
      const clock = fixedClock('2024-06-01T00:00:00Z');
      const steps = planRun(graph, { assets: graph.order, partitions: ['2024-05-01', '2024-05-02'] }, clock);
      const results = await executeRun({
        runId: 'r', steps, assets: graph.assets, clock, logger: silentLogger, concurrency: 2, signal: new AbortController().signal, state,
        resources: { warehouse, state, project: p, syncRawViews: async () => {} },
      });
      const status = Object.fromEntries(results.map((r) => [r.step.id, r.status]));
      expect(status).toMatchObject({
        'checks/marts/m/unique_id[2024-05-01]': 'succeeded',
        'checks/marts/m/unique_id[2024-05-02]': 'failed',
        'checks/marts/m/accepted_range_rating[2024-05-01]': 'succeeded',
        'checks/marts/m/relationships_kind[2024-05-02]': 'succeeded',
        'marts/down[2024-05-01]': 'succeeded',
        'marts/down[2024-05-02]': 'skipped',
      });
      const recorded = await state.latestCheckResults('marts/m');
      const byKey = Object.fromEntries(recorded.map((c) => [`${c.check}[${c.partition}]`, c]));
      expect(byKey['accepted_range_rating[2024-05-01]']).toMatchObject({ status: 'warned', severity: 'warn', metadata: { failing: 1, samples: [{ id: 1, rating: 7 }] } });
      expect(byKey['unique_id[2024-05-02]']).toMatchObject({ status: 'failed', metadata: { failing: 1, samples: [{ unique_field: 2, n_records: 2 }] } });
      expect(byKey['unique_id[2024-05-01]']).toMatchObject({ status: 'passed', metadata: { failing: 0 } });
      expect(byKey['unique_id[2024-05-01]']!.metadata).not.toHaveProperty('samples');
    } finally {
      await warehouse.close();
      await state.close();
    }
  });
});
