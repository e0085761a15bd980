import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionError, packageRoot } from '../core/index.js';
import { duckDbDialect } from '../warehouse/index.js';
import { loadProject } from './compile-project.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmp-models-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

describe('loadProject', () => {
  it('resolves ref and source, applies folder defaults and config(), orders by dependency', () => {
    const dir = project({
      'staging/stg_a.sql': "select {{ json_int('r.value', 'id') }} as id, r.dt from {{ source('rawg', 'games') }} as r",
      'marts/fct_a.sql': "{{ config(materialized='partitioned', partition_by='dt', tags=['daily']) }}\nselect * from {{ ref('stg_a') }} where {{ in_partition('dt') }}",
      'marts/dim_a.sql': "select id from {{ ref('stg_a') }} -- {{ this }} on {{ target.type }}",
    });
    const p = loadProject({ dir, dialect: duckDbDialect });
    expect(p.models.map((m) => m.relation)).toEqual(['staging.stg_a', 'marts.dim_a', 'marts.fct_a']);
    const fct = p.models.find((m) => m.name === 'fct_a')!;
    expect(fct).toMatchObject({ materialized: 'partitioned', partitionBy: 'dt', tags: ['daily'], refs: ['stg_a'] });
    expect(p.models[0]!.sources).toEqual([{ source: 'rawg', table: 'games' }]);
    expect(p.compile('stg_a', null)).toBe("select TRY_CAST((r.value ->> '$.id') AS BIGINT) as id, r.dt from raw.rawg_games as r");
    expect(p.compile('dim_a', null)).toBe('select id from staging.stg_a -- marts.dim_a on duckdb');
    expect(p.compile('fct_a', { start: '2024-05-01', end: '2024-05-02' })).toContain("where dt between date '2024-05-01' and date '2024-05-02'");
    expect(p.statements('fct_a', { start: '2024-05-01', end: '2024-05-01' })).toEqual([
      'CREATE SCHEMA IF NOT EXISTS marts',
      "CREATE TABLE IF NOT EXISTS marts.fct_a AS SELECT * FROM (\nselect * from staging.stg_a where dt between date '2024-05-01' and date '2024-05-01'\n) AS model WHERE false",
      "DELETE FROM marts.fct_a WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01'",
      "INSERT INTO marts.fct_a BY NAME SELECT * FROM (\nselect * from staging.stg_a where dt between date '2024-05-01' and date '2024-05-01'\n) AS model WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01'",
    ]);
  });

  it('reports a broken ref, a cycle, a bad config and a template error all at once, with files', () => {
    const dir = project({
      'staging/stg_ok.sql': 'select 1 as id',
      'marts/broken.sql': "select * from {{ ref('stg_okk') }}",
      'marts/cycle_a.sql': "select * from {{ ref('cycle_b') }}",
      'marts/cycle_b.sql': "select * from {{ ref('cycle_a') }}",
      'marts/bad_config.sql': "{{ config(materialized='snapshot') }} select 1",
      'marts/bad_syntax.sql': 'select {{ 1 + }}',
    });
    let error: DefinitionError | undefined;
    try {
      loadProject({ dir, dialect: duckDbDialect });
    } catch (e) {
      error = e as DefinitionError;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const problems = error!.problems.join('\n');
    expect(problems).toMatch(/marts\/broken\.sql: unknown ref\('stg_okk'\) \(did you mean 'stg_ok'\?\)/);
    expect(problems).toMatch(/marts\/cycle_a\.sql: ref cycle cycle_a -> cycle_b -> cycle_a/);
    expect(problems).toMatch(/marts\/bad_config\.sql: config materialized='snapshot' is not one of view, table, partitioned/);
    expect(problems).toMatch(/marts\/bad_syntax\.sql: .*Line 1/);
    expect(error!.problems).toHaveLength(4);
  });

  it('loads the shipped models without problems', () => {
    const p = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: duckDbDialect });
    expect(p.models.map((m) => m.relation)).toEqual(
      expect.arrayContaining([
        'staging.stg_rawg__games',
        'staging.stg_rawg__genres',
        'staging.stg_rawg__platforms',
        'marts.dim_games',
        'marts.dim_genres',
        'marts.dim_platforms',
        'marts.bridge_game_genres',
        'marts.bridge_game_platforms',
        'marts.fct_game_daily_snapshot',
      ]),
    );
    for (const m of p.models) expect(m.description, m.name).not.toBe('');
  });
});
