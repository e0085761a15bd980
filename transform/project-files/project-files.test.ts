import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { createDuckDbWarehouse, duckDbDialect } from '../../warehouse/index.js';
import { loadProject } from '../compile-project.js';
import { definitionProblems, writeTempProject } from '../../tests/helpers/temp-project.js';

describe('project files', () => {
  it('the shipped models: every model documented and tested, yml descriptions win, project-file folder defaults', () => {
    const p = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: duckDbDialect });
    for (const m of p.models) {
      expect(m.description, m.name).not.toBe('');
      expect(p.tests.some((t) => t.model === m.name && t.severity === 'error'), m.name).toBe(true);
    }
    expect(p.models.find((m) => m.name === 'stg_rawg__genres')!.materialized).toBe('view'); // the staging folder default
    expect(p.models.find((m) => m.name === 'stg_rawg__games_daily')!.materialized).toBe('partitioned'); // its own config()
    expect(p.models.find((m) => m.name === 'dim_games')!.description).toBe('One row per game with its current attributes.');
    const names = (model: string) => p.tests.filter((t) => t.model === model).map((t) => `${t.name}:${t.severity}`);
    expect(names('dim_games')).toEqual(expect.arrayContaining(['unique_game_id:error', 'not_null_game_id:error', 'accepted_range_rating:warn', 'accepted_values_esrb_rating:error']));
    expect(names('bridge_game_genres')).toContain('relationships_genre_id:error');
    expect(names('fct_game_daily_snapshot')).toContain('one_row_per_game_per_day:error');
    expect(p.docs.sources.find((s) => s.table === 'games')).toMatchObject({ source: 'rawg', freshness: { warnAfterHours: 36, errorAfterHours: 72 } });
  });

  it('folder defaults come from gmp_project.yml, and fall back to staging=view, marts=table without it', () => {
    const models = { 'staging/s.sql': 'select 1 as id', 'marts/m.sql': 'select 1 as id', 'other/o.sql': 'select 1' };
    const without = loadProject({ dir: writeTempProject(models), dialect: duckDbDialect });
    expect(without.models.map((m) => [m.name, m.materialized])).toEqual([['m', 'table'], ['s', 'view']]);
    const withFile = loadProject({ dir: writeTempProject({ ...models, 'gmp_project.yml': 'models:\n  staging: {materialized: table}\n  marts: {materialized: view}\n' }), dialect: duckDbDialect });
    expect(withFile.models.map((m) => [m.name, m.materialized])).toEqual([['m', 'view'], ['s', 'table']]);
    expect(definitionProblems(() => loadProject({ dir: writeTempProject({ ...models, 'gmp_project.yml': 'models:\n  staging:\n    materialized: tabel\n' }), dialect: duckDbDialect }))).toEqual([
      expect.stringMatching(/^gmp_project\.yml:3: models\.staging\.materialized: /),
    ]);
  });

  it('a yml description wins over the SQL comment; column docs are attached', () => {
    const p = loadProject({
      dir: writeTempProject({
        'marts/m.sql': '-- from the comment\nselect 1 as id',
        'marts/n.sql': '-- only the comment\nselect 1 as id',
        'marts/m.yml': 'version: 2\nmodels:\n  - name: m\n    description: from the yml\n    columns:\n      - name: id\n        description: the id\n',
      }),
      dialect: duckDbDialect,
    });
    expect(p.models.map((m) => [m.name, m.description])).toEqual([['m', 'from the yml'], ['n', 'only the comment']]);
    expect(p.models[0]!.columns).toEqual([{ name: 'id', description: 'the id' }]);
  });

  it('collects every problem of every yml and singular test at once, with file and line', () => {
    const problems = definitionProblems(() =>
      loadProject({
        dir: writeTempProject({
          'marts/dim_games.sql': 'select 1 as game_id',
          'marts/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id",
          'marts/a.yml': [
            'version: 2',
            'models:',
            '  - name: dim_gmaes', // 3: unknown model
            '  - name: dim_games',
            '    columns:',
            '      - name: game_id',
            '        tests:',
            '          - accepted_values', // 8: needs values
            '          - accepted_range: {inclusive: true}', // 9: needs min or max
            '          - relationships: {to: "ref(\'nope\')", field: id}', // 10: unknown model
            '          - uniq', // 11: unknown test
            '          - not_null: {severity: fatal}', // 12: bad severity
            '      - name: game_id', // 13: column twice
            '    tests:',
            '      - unique', // 15: needs column_name
            '  - name: eph', // 16: tests on an ephemeral model
            '    columns:',
            '      - name: id',
            '        tests: [unique]',
          ].join('\n'),
          'marts/b.yml': 'version: 2\nmodels:\n  - name: dim_games\n    descripton: typo\n',
          'staging/c.yml': 'version: 1\n',
          'staging/d.yml': 'models: [\n',
          'tests/no_ref.sql': 'select 1 as x where false',
          'tests/bad_ref.sql': "select * from {{ ref('dim_gams') }}",
        }),
        dialect: duckDbDialect,
      }),
    );
    const expected = [
      /^marts\/a\.yml:8: accepted_values\.values: /,
      /^marts\/a\.yml:9: accepted_range: accepted_range needs min_value or max_value/,
      /^marts\/a\.yml:11: unknown test 'uniq'/,
      /^marts\/a\.yml:12: not_null\.severity: /,
      /^marts\/a\.yml:13: column dim_games\.game_id is documented twice/,
      /^marts\/a\.yml:15: unique at model level needs column_name/,
      /^marts\/b\.yml:4: models\.0: Unrecognized key: "descripton"/,
      /^staging\/c\.yml:1: version: /,
      /^staging\/d\.yml:\d+: /,
      /^marts\/a\.yml:3: documents unknown model 'dim_gmaes' \(did you mean 'dim_games'\?\)/,
      /^marts\/a\.yml:10: relationships\.to names unknown model 'nope'/,
      /^marts\/a\.yml:19: tests ephemeral model 'eph'/,
      /^tests\/bad_ref\.sql:1: refs unknown model 'dim_gams'/,
      /^tests\/no_ref\.sql: a singular test must ref\(\) the model it tests/,
    ];
    for (const re of expected) expect(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });
});

describe('generic and singular tests against DuckDB', () => {
  const yml = `version: 2
models:
  - name: m
    columns:
      - name: id
        tests:
          - unique
          - not_null
          - relationships: {to: "ref('parent')", field: id}
      - name: esrb
        tests:
          - accepted_values: {values: [everyone, teen]}
      - name: rating
        tests:
          - accepted_range: {min_value: 0, max_value: 5, config: {severity: warn}}
          - accepted_range: {min_value: 0, max_value: 5, inclusive: false, name: rating_exclusive}
`;
  const files = {
    'marts/parent.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    'marts/m.sql': "{{ config(materialized='partitioned', partition_by='dt') }}\nselect * from seed where {{ in_partition('dt') }}",
    'marts/m.yml': yml,
    'tests/m_small.sql': "{{ config(severity='warn') }}\n-- ids stay small\nselect * from {{ ref('m') }} where {{ in_partition('dt') }} and id > 100;",
  };

  it('count zero failing rows on good data and the right rows on bad data, per partition; nulls pass all but not_null', async () => {
    const p = loadProject({ dir: writeTempProject(files), dialect: duckDbDialect });
    const w = await createDuckDbWarehouse({ path: ':memory:' });
    try {
      await w.execute([
        'CREATE SCHEMA marts',
        'CREATE TABLE marts.parent AS SELECT * FROM (VALUES (1), (2), (3)) AS t(id)',
        'CREATE TABLE marts.m (dt DATE, id INT, esrb VARCHAR, rating DOUBLE)',
        // Day 1 is clean (a null esrb and a null rating pass); day 2 breaks every test once.
        `INSERT INTO marts.m VALUES (DATE '2024-05-01', 1, 'everyone', 0), (DATE '2024-05-01', 2, NULL, 5), (DATE '2024-05-01', 3, 'teen', NULL),
          (DATE '2024-05-02', 1, 'everyone', 4.5), (DATE '2024-05-02', 1, 'mature', 5.5), (DATE '2024-05-02', NULL, 'teen', 2), (DATE '2024-05-02', 404, 'teen', 2)`,
      ]);
      const failing = async (name: string, day: string) => {
        const test = p.tests.find((t) => t.name === name)!;
        const [row] = await w.query(`select count(*) as n from (${p.testSql(test, { start: day, end: day })}) as f`);
        return Number(row!.n);
      };
      const counts = async (day: string) =>
        Object.fromEntries(await Promise.all(p.tests.map(async (t) => [t.name, await failing(t.name, day)] as const)));
      expect(await counts('2024-05-01')).toEqual({
        unique_id: 0, not_null_id: 0, relationships_id: 0, accepted_values_esrb: 0, accepted_range_rating: 0, rating_exclusive: 2, m_small: 0,
      });
      expect(await counts('2024-05-02')).toEqual({
        unique_id: 1, not_null_id: 1, relationships_id: 1, accepted_values_esrb: 1, accepted_range_rating: 1, rating_exclusive: 1, m_small: 1,
      });
      expect(p.tests.find((t) => t.name === 'accepted_range_rating')!.severity).toBe('warn');
      expect(p.tests.find((t) => t.name === 'm_small')).toMatchObject({ kind: 'singular', severity: 'warn', description: 'ids stay small', model: 'm' });
      // Without a partition a test covers the whole model.
      const unique = p.tests.find((t) => t.name === 'unique_id')!;
      const [all] = await w.query(`select count(*) as n from (${p.testSql(unique, null)}) as f`);
      expect(Number(all!.n)).toBe(1);
    } finally {
      await w.close();
    }
  });
});
