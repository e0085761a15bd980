import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, duckDbDialect, type Warehouse } from '../warehouse/index.js';
import { loadProject, type Project } from './compile-project.js';
import { writeTempProject } from '../tests/helpers/temp-project.js';

function project(files: Record<string, string>, vars: Record<string, unknown> = {}): Project {
  const dir = writeTempProject(files);
  return loadProject({ dir, dialect: duckDbDialect, vars, resolveSource: (s, t) => `${s}.${t}` });
}

// Each materialization's statements run for real, in one transaction, as the orchestration runs them.
describe('materializations in DuckDB', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await createDuckDbWarehouse({ path: ':memory:' });
    await wh.execute(['CREATE SCHEMA raw', "CREATE TABLE raw.src AS SELECT * FROM (VALUES (1, 'a', DATE '2024-05-01'), (2, 'b', DATE '2024-05-02')) t(id, v, dt)"]);
  });
  afterEach(() => wh.close());
  const build = (p: Project, name: string, options: Parameters<Project['statements']>[2] = {}, range: { start: string; end: string } | null = null) =>
    wh.execute(p.statements(name, range, options), { transaction: true });

  it('builds a view and a table; a failing table build leaves the old table intact', async () => {
    const p = project({
      'staging/stg_src.sql': "select id, v, dt from {{ source('raw', 'src') }}",
      'marts/tbl.sql': "select id, upper(v) as v from {{ ref('stg_src') }} {% if var('fail', false) %}where error('boom') is null{% endif %}",
    });
    expect(p.statements('tbl', null)).toEqual(['CREATE SCHEMA IF NOT EXISTS marts', 'CREATE OR REPLACE TABLE marts.tbl AS\nselect id, upper(v) as v from staging.stg_src']);
    await build(p, 'stg_src');
    await build(p, 'tbl');
    expect(await wh.query('SELECT * FROM marts.tbl ORDER BY id')).toEqual([{ id: 1, v: 'A' }, { id: 2, v: 'B' }]);
    const failing = project({ 'marts/tbl.sql': "select 9 as id {% if var('fail') %}where error('boom') is null{% endif %}" }, { fail: true });
    await expect(build(failing, 'tbl')).rejects.toThrow(/boom/);
    expect(await wh.query('SELECT * FROM marts.tbl ORDER BY id')).toEqual([{ id: 1, v: 'A' }, { id: 2, v: 'B' }]);
  });

  it('swaps a table so a reader on another connection sees the old table until the build commits', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const [writer, reader] = [await instance.connect(), await instance.connect()];
    const count = async (): Promise<unknown> => (await reader.runAndReadAll('SELECT count(*)::INT AS n FROM marts.tbl')).getRowObjectsJson()[0]?.n;
    await writer.run('CREATE SCHEMA marts');
    await writer.run('CREATE TABLE marts.tbl AS SELECT 1 AS id');
    const p = project({ 'marts/tbl.sql': 'select range as id from range(1000)' });
    await writer.run('BEGIN TRANSACTION');
    for (const sql of p.statements('tbl', null)) await writer.run(sql);
    expect(await count()).toBe(1);
    await writer.run('COMMIT');
    expect(await count()).toBe(1000);
    instance.closeSync();
  });

  it('merges an incremental model on its unique key: changed keys updated, new keys inserted, no duplicates', async () => {
    const p = project({
      'marts/inc.sql': [
        "{{ config(materialized='incremental', unique_key='id') }}",
        'select id, v from {{ source("raw", "src") }}',
        '{% if is_incremental() %}where id >= (select max(id) from {{ this }}){% endif %}',
      ].join('\n'),
    });
    expect(p.statements('inc', null)).toEqual(['CREATE SCHEMA IF NOT EXISTS marts', 'CREATE OR REPLACE TABLE marts.inc AS\nselect id, v from raw.src']);
    await build(p, 'inc', { relationExists: false });
    await wh.execute(["UPDATE raw.src SET v = 'b2' WHERE id = 2", "INSERT INTO raw.src VALUES (3, 'c', DATE '2024-05-03')", "UPDATE raw.src SET v = 'ignored' WHERE id = 1"]);
    const merge = p.statements('inc', null, { relationExists: true });
    expect(merge.slice(1)).toEqual([
      'CREATE OR REPLACE TEMP TABLE gmp_merge__marts_inc AS\nselect id, v from raw.src\nwhere id >= (select max(id) from marts.inc)',
      'DELETE FROM marts.inc USING gmp_merge__marts_inc WHERE marts.inc.id = gmp_merge__marts_inc.id',
      'INSERT INTO marts.inc BY NAME SELECT * FROM gmp_merge__marts_inc',
      'DROP TABLE gmp_merge__marts_inc',
    ]);
    await wh.execute(merge, { transaction: true });
    await wh.execute(merge, { transaction: true });
    expect(await wh.query('SELECT * FROM marts.inc ORDER BY id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b2' }, { id: 3, v: 'c' }]);
  });

  it('merges on a composite key', async () => {
    const p = project({ 'marts/inc2.sql': "{{ config(materialized='incremental', unique_key=['id', 'dt']) }}\nselect id, dt, v from {{ source('raw', 'src') }}" });
    await build(p, 'inc2');
    await wh.execute(["UPDATE raw.src SET v = 'z' WHERE id = 1"]);
    await build(p, 'inc2', { relationExists: true });
    expect(await wh.query('SELECT id, v FROM marts.inc2 ORDER BY id')).toEqual([{ id: 1, v: 'z' }, { id: 2, v: 'b' }]);
  });

  it('replaces only the partition slice of a partitioned model', async () => {
    const p = project({ 'marts/part.sql': "{{ config(materialized='partitioned', partition_by='dt') }}\nselect dt, id, v from {{ source('raw', 'src') }} where {{ in_partition('dt') }}" });
    await build(p, 'part', {}, { start: '2024-05-01', end: '2024-05-02' });
    await wh.execute(["UPDATE raw.src SET v = 'new' WHERE true"]);
    await build(p, 'part', {}, { start: '2024-05-02', end: '2024-05-02' });
    await build(p, 'part', {}, { start: '2024-05-02', end: '2024-05-02' });
    expect(await wh.query('SELECT id, v FROM marts.part ORDER BY id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'new' }]);
  });

  it('inlines nested ephemeral models and builds nothing for them', async () => {
    const p = project({
      'staging/eph_a.sql': "{{ config(materialized='ephemeral') }}\nselect id, v from {{ source('raw', 'src') }}",
      'staging/eph_b.sql': "{{ config(materialized='ephemeral') }}\nwith doubled as (select id * 10 as id, v from {{ ref('eph_a') }}) select * from doubled",
      'marts/final.sql': "-- final\nwith x as (select * from {{ ref('eph_b') }})\nselect x.id, a.v from x join {{ ref('eph_a') }} as a on a.id * 10 = x.id",
    });
    expect(p.statements('eph_a', null)).toEqual([]);
    expect(p.statements('eph_b', null)).toEqual([]);
    await build(p, 'final');
    expect(await wh.query('SELECT * FROM marts.final ORDER BY id')).toEqual([{ id: 10, v: 'a' }, { id: 20, v: 'b' }]);
    expect((await wh.listRelations()).map((r) => `${r.schema}.${r.name}`)).toEqual(['marts.final', 'raw.src']);
  });
});
