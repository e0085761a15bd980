import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/index.js';
import { duckDbDialect } from '../warehouse/index.js';
import { loadProject } from './compile-project.js';
import { definitionProblems, writeTempProject } from '../tests/helpers/temp-project.js';

describe('loadProject', () => {
  it('resolves ref and source, applies folder defaults and config(), orders by dependency', () => {
    const dir = writeTempProject({
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

  it('reports a broken ref, a cycle, a bad config and a template error all at once, with files and lines', () => {
    const dir = writeTempProject({
      'staging/stg_ok.sql': 'select 1 as id',
      'marts/broken.sql': "-- a model\nselect *\nfrom {{ ref('stg_okk') }}",
      'marts/cycle_a.sql': "select * from {{ ref('cycle_b') }}",
      'marts/cycle_b.sql': "select * from {{ ref('cycle_a') }}",
      'marts/bad_config.sql': "{{ config(materialized='snapshot') }} select 1",
      'marts/bad_syntax.sql': 'select 1\n{% if true %}\nselect {{ 1 + }}',
      'marts/no_partition.sql': "{{ config(materialized='partitioned') }} select 1",
      'marts/no_key.sql': "\n{{ config(materialized='incremental') }} select 1",
      'marts/bad_key.sql': "{{ config(materialised='table') }} select 1",
      'marts/package_ref.sql': "select 1\nfrom {{ ref('other_pkg', 'stg_ok') }}",
    });
    const problems = definitionProblems(() => loadProject({ dir, dialect: duckDbDialect }));
    expect(problems).toEqual([
      "marts/bad_config.sql:1: config materialized='snapshot' is not one of view, table, incremental, partitioned, ephemeral",
      "marts/bad_key.sql:1: unknown config key 'materialised' (did you mean 'materialized'?); known keys: materialized, partition_by, unique_key, tags",
      'marts/bad_syntax.sql:3: unexpected token: }} (column 15)',
      "marts/broken.sql:3: unknown ref('stg_okk') (did you mean 'stg_ok'?)",
      "marts/no_key.sql:2: materialized='incremental' needs unique_key='<column>' (or a list of columns)",
      "marts/no_partition.sql:1: materialized='partitioned' needs partition_by='<date column>'",
      "marts/package_ref.sql:2: ref('other_pkg', 'stg_ok'): packages are not supported, write ref('<model>')",
      'marts/cycle_a.sql:1: ref cycle cycle_a -> cycle_b -> cycle_a',
    ]);
  });

  it('lists problems by model name as loadModelFiles sorts them (the collation, not code units), twins first', () => {
    // Code units put 'B' before 'a' and digits before '_'; the collation lists a_mart, a1, B_mart.
    const dir = writeTempProject({
      'staging/a_mart.sql': "select * from {{ ref('stg_c') }}",
      'marts/a_mart.sql': 'select 1',
      'marts/a1.sql': "select * from {{ ref('nothing_there') }}",
      'staging/B_mart.sql': "select * from {{ ref('nothing_here') }}",
      'marts/B_mart.sql': 'select 2',
      'staging/stg_a.sql': 'select 3',
      'staging/stg_B.sql': 'select 4',
    });
    expect(definitionProblems(() => loadProject({ dir, dialect: duckDbDialect }))).toEqual([
      'marts/a_mart.sql: model name "a_mart" is also defined in staging/a_mart.sql',
      'marts/B_mart.sql: model name "B_mart" is also defined in staging/B_mart.sql',
      "staging/a_mart.sql:1: unknown ref('stg_c') (did you mean 'stg_a', 'stg_B'?)",
      "marts/a1.sql:1: unknown ref('nothing_there')",
      "staging/B_mart.sql:1: unknown ref('nothing_here')",
    ]);
  });

  it('renders var, env_var, this, target, is_incremental, set, for, if and whitespace control', () => {
    const dir = writeTempProject({
      'marts/feature.sql': [
        "{{ config(materialized='incremental', unique_key=['id', 'day'], tags='t1') }}",
        '{%- set cols = ["a", "b"] -%}',
        'select',
        '{%- for c in cols %}',
        '  {{ c }}{% if not loop.last %},{% endif %}',
        '{%- endfor %}',
        "from x where y > {{ var('since', '2020-01-01') }} and z = {{ var('limit') }}",
        "-- {{ env_var('GMP_FLAVOUR', 'plain') }} {{ env_var('HOME_TOWN') }} {{ this }} {{ this.schema }}.{{ this.identifier }} {{ target.name }}/{{ target.type }}",
        '{% if is_incremental() %}and updated > (select max(updated) from {{ this }}){% endif %}',
        '{{ "yes" if True else "no" }}',
      ].join('\n'),
    });
    const p = loadProject({ dir, dialect: duckDbDialect, targetName: 'prod', vars: { limit: 5 }, env: { HOME_TOWN: 'Oslo' } });
    expect(p.models[0]).toMatchObject({ materialized: 'incremental', uniqueKey: ['id', 'day'], tags: ['t1'], ephemerals: [] });
    const sql = p.compile('feature', null);
    expect(sql).toBe(
      "select\n  a,\n  b\nfrom x where y > 2020-01-01 and z = 5\n-- plain Oslo marts.feature marts.feature prod/duckdb\n\nyes",
    );
    expect(p.compile('feature', null, { relationExists: true })).toContain('and updated > (select max(updated) from marts.feature)');
  });

  it('collects unset vars and env_vars without defaults, with their lines', () => {
    const dir = writeTempProject({
      'staging/stg_v.sql': "select 1\nwhere a = {{ var('missing') }}\nand b = '{{ env_var('NOPE') }}' and c = '{{ env_var('NOPE') }}'",
      'staging/stg_w.sql': "select {{ var('fine', 3) }} as x, '{{ env_var('SET') }}' as y",
    });
    const problems = definitionProblems(() => loadProject({ dir, dialect: duckDbDialect, env: { SET: 'ok' } }));
    expect(problems).toEqual([
      "staging/stg_v.sql:2: var('missing') is not set and has no default (set it in the target's vars or write var('missing', <default>))",
      "staging/stg_v.sql:3: env_var('NOPE') is not set and has no default (write env_var('NOPE', <default>))",
    ]);
  });

  it('inlines ephemeral models as CTEs, nested, into the models that ref them', () => {
    const dir = writeTempProject({
      'staging/eph_a.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id",
      'staging/eph_b.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('eph_a') }} where {{ this }} is not null",
      'marts/uses.sql': "-- uses both\nwith own as (select * from {{ ref('eph_b') }})\nselect * from own join {{ ref('eph_a') }} using (id) join {{ source('s', 't') }} using (id)",
      'marts/plain.sql': "select * from {{ ref('eph_b') }}",
    });
    const p = loadProject({ dir, dialect: duckDbDialect });
    expect(p.models.map((m) => m.name)).toEqual(['plain', 'uses']);
    expect(p.nodes.map((m) => m.name)).toEqual(['eph_a', 'eph_b', 'plain', 'uses']);
    expect(p.models.find((m) => m.name === 'uses')).toMatchObject({ refs: [], ephemerals: ['eph_b', 'eph_a'].sort(), sources: [{ source: 's', table: 't' }] });
    expect(p.compile('plain', null)).toBe(
      'WITH __gmp_cte__eph_a AS (\nselect 1 as id\n),\n__gmp_cte__eph_b AS (\nselect id from __gmp_cte__eph_a where __gmp_cte__eph_b is not null\n)\nselect * from __gmp_cte__eph_b',
    );
    expect(p.compile('uses', null)).toMatch(/^-- uses both\nWITH __gmp_cte__eph_a AS \(\nselect 1 as id\n\),\n__gmp_cte__eph_b AS \([^]*\),\nown as \(select \* from __gmp_cte__eph_b\)\nselect \* from own join __gmp_cte__eph_a using \(id\) join raw.s_t using \(id\)$/);
    expect(p.statements('eph_a', null)).toEqual([]);
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
    for (const m of p.models) expect(p.statements(m.name, { start: '2024-05-01', end: '2024-05-01' }).length, m.name).toBeGreaterThan(0);
  });
});
