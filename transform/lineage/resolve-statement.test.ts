import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type Warehouse } from '../../warehouse/index.js';
import { resolveStatement, type StatementLineage } from './resolve-statement.js';

// DuckDB only parses here; the resolver itself is pure and sees the JSON.
let parser: Warehouse;
beforeAll(async () => {
  parser = await createDuckDbWarehouse({ path: ':memory:' });
});
afterAll(() => parser.close());

const INPUTS: Record<string, string[]> = {
  'raw.rawg_games': ['dt', 'run_id', 'value'],
  'staging.a': ['id', 'name', 'score'],
  'staging.b': ['id', 'label'],
};

async function resolve(sql: string): Promise<StatementLineage> {
  const [row] = await parser.query(`SELECT json_serialize_sql(${parser.dialect.quoteLiteral(sql)}) AS j`);
  return resolveStatement(JSON.parse(String(row?.j)), (relation) => INPUTS[relation]);
}

// `column ← relation.column[→path]` per output column, for compact expectations.
async function edges(sql: string): Promise<Record<string, string[]>> {
  const result = await resolve(sql);
  if (!result.columns) throw new Error(`unresolved: ${result.reason}`);
  return Object.fromEntries(result.columns.map((c) => [c.column, c.sources.map((s) => `${s.relation}.${s.column}${s.path ? `→${s.path}` : ''}`)]));
}

describe('resolveStatement', () => {
  it('follows aliases and qualified columns', async () => {
    expect(await edges('select a.id as key, name, score * 2 as double_score, 1 as one from staging.a as a')).toEqual({
      key: ['staging.a.id'],
      name: ['staging.a.name'],
      double_score: ['staging.a.score'],
      one: [],
    });
  });

  it('resolves through CTEs (chained, with column aliases) and subqueries', async () => {
    const sql = `
      with first as (select id, name from staging.a),
           second(k, n) as (select id, upper(name) from first)
      select s.k, s.n, sub.label from second as s
      join (select id, label from staging.b) as sub on sub.id = s.k`;
    expect(await edges(sql)).toEqual({ k: ['staging.a.id'], n: ['staging.a.name'], label: ['staging.b.label'] });
  });

  it('expands * from the known input columns, with EXCLUDE and REPLACE, and qualified t.*', async () => {
    expect(Object.keys(await edges('select * from staging.a'))).toEqual(['id', 'name', 'score']);
    expect(await edges('select * exclude (score) replace (lower(name) as name) from staging.a')).toEqual({
      id: ['staging.a.id'],
      name: ['staging.a.name'],
    });
    expect(Object.keys(await edges('select b.*, a.score from staging.a as a join staging.b as b using (id)'))).toEqual(['id', 'label', 'score']);
  });

  it('a join merges both sides; a USING column derives from both', async () => {
    expect(await edges('select id, coalesce(a.name, b.label) as title from staging.a as a full join staging.b as b using (id)')).toEqual({
      id: ['staging.a.id', 'staging.b.id'],
      title: ['staging.a.name', 'staging.b.label'],
    });
  });

  it('turns JSON extraction with a constant path into a field path (->>, TRY_CAST, json_extract, nested)', async () => {
    const sql = `
      with source as (select r.dt, r.value from raw.rawg_games as r)
      select TRY_CAST((value ->> '$.metacritic') AS BIGINT) as metacritic,
             json_extract(value, '$.esrb_rating') ->> '$.slug' as esrb,
             json_extract(value, '$.ratings[0].title') as first_rating,
             value as record, dt
      from source
      qualify row_number() over (partition by metacritic order by dt desc) = 1`;
    expect(await edges(sql)).toEqual({
      metacritic: ['raw.rawg_games.value→metacritic'],
      esrb: ['raw.rawg_games.value→esrb_rating.slug'],
      first_rating: ['raw.rawg_games.value→ratings[0].title'],
      record: ['raw.rawg_games.value'],
      dt: ['raw.rawg_games.dt'],
    });
  });

  it('follows UNNEST in a lateral join to the nested array (flatten macro shape) and in a select list', async () => {
    const sql = `
      select TRY_CAST((x.value ->> '$.id') AS BIGINT) as genre_id, unnest(json_extract(r.value, '$.tags')::JSON[]) as tag
      from raw.rawg_games as r
      CROSS JOIN LATERAL unnest(coalesce(TRY_CAST(json_extract(r.value, '$.genres') AS JSON[]), CAST([] AS JSON[]))) AS x(value)`;
    expect(await edges(sql)).toEqual({ genre_id: ['raw.rawg_games.value→genres[*].id'], tag: ['raw.rawg_games.value→tags[*]'] });
  });

  it('follows a record parsed once (json_record) through struct fields and its unnested lists', async () => {
    const sql = `
      select TRY_CAST(p.rec.id AS BIGINT) as id, p.rec.esrb_rating.slug as esrb, struct_extract(p.rec, 'name') as name,
        TRY_CAST(x.value.platform.id AS BIGINT) as platform_id
      from (select json_transform(r.value, '{"id":"VARCHAR"}') as rec from raw.rawg_games as r) as p
      CROSS JOIN LATERAL unnest(coalesce(p.rec.platforms, [])) AS x(value)`;
    expect(await edges(sql)).toEqual({
      id: ['raw.rawg_games.value→id'],
      esrb: ['raw.rawg_games.value→esrb_rating.slug'],
      name: ['raw.rawg_games.value→name'],
      platform_id: ['raw.rawg_games.value→platforms[*].platform.id'],
    });
  });

  it('unions the branches of a set operation by position', async () => {
    expect(await edges('select id, name from staging.a union all select id, label from staging.b')).toEqual({
      id: ['staging.a.id', 'staging.b.id'],
      name: ['staging.a.name', 'staging.b.label'],
    });
  });

  it('marks a column it cannot follow unresolved, with the reason, keeping what it found', async () => {
    const result = await resolve('select id, coalesce(name, (select max(label) from staging.b)) as title from staging.a');
    expect(result.columns?.[0]).toEqual({ column: 'id', sources: [{ relation: 'staging.a', column: 'id' }], resolved: true });
    expect(result.columns?.[1]).toMatchObject({ column: 'title', sources: [{ relation: 'staging.a', column: 'name' }], resolved: false });
    expect(result.columns?.[1]?.reason).toMatch(/scalar subquery is not followed/);
  });

  it('reports the whole statement unresolved when its output columns are unknown', async () => {
    expect(await resolve(`select * from read_csv('x.csv')`)).toEqual({ columns: null, reason: 'table function read_csv() in FROM' });
    expect(await resolve('select * from staging.unknown')).toEqual({ columns: null, reason: 'cannot expand * over staging.unknown: its columns are unknown' });
    expect((await resolve('selec broken')).reason).toMatch(/^DuckDB could not parse the SQL: syntax error/);
  });
});
