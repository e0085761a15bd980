import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/index.js';
import { assertReadOnlyStatement } from './snowflake-read-only-statement.js';

const refused = (sql: string): string => {
  try {
    assertReadOnlyStatement(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`accepted: ${sql}`);
};

describe('assertReadOnlyStatement (gmp query on Snowflake)', () => {
  it.each([
    'select * from marts.dim_games limit 5',
    'SELECT 1;',
    '  -- the top games\nSELECT name FROM marts.dim_games;;',
    '/* note; with a semicolon */ select 1',
    "select 'a; delete from t' as s, \"we;ird\" from t",
    "select 'it''s', 'back\\'slash; drop table t' from t",
    'select $$ ; insert $$ as body',
    '(select 1) union all (select 2)',
    'with recent as (select * from marts.dim_games where released > current_date - 30) select count(*) from recent',
    'WITH a (x) AS (SELECT 1), "B" AS (SELECT x FROM a) SELECT * FROM "B"',
    'with recursive r as (select 1 as n union all select n + 1 from r where n < 3) (select * from r)',
    'show tables in schema marts',
    'describe table marts.dim_games',
    'desc view raw.rawg_games',
    "select * from t where comment = 'update' // trailing comment",
  ])('accepts %j', (sql) => {
    expect(() => assertReadOnlyStatement(sql)).not.toThrow();
  });

  it.each([
    ['delete from marts.dim_games', /not DELETE …/],
    ['  insert into t select 1', /not INSERT …/],
    ['create or replace table marts.x as select 1', /not CREATE …/],
    ['call system$wait(1)', /not CALL …/],
    ['use role accountadmin', /not USE …/],
    ['select 1; drop table marts.dim_games', /not several statements/],
    ['select 1; select 2', /not several statements/],
    ['-- only a comment', /not an empty statement/],
    ['', /not an empty statement/],
    ["select 'unterminated", /unterminated string/],
    ['select 1 /* unterminated', /unterminated comment/],
    ['with x as (select 1) delete from t using x', /WITH … without a SELECT body/],
    ['with x as (select 1) insert into t select * from x', /WITH … without a SELECT body/],
    ['with p as procedure () returns int language sql as $$ begin drop table t; return 1; end $$ call p()', /WITH … without a SELECT body/],
    ['with x as select 1', /WITH … without a SELECT body/],
    ['merge into t using s on t.id = s.id when matched then delete', /not MERGE …/],
    ['@stage', /does not start with a keyword/],
  ])('refuses %j', (sql, message) => {
    const text = refused(sql);
    expect(text).toMatch(message);
    expect(text).toMatch(/^gmp query on Snowflake runs one read-only statement \(SELECT, WITH … SELECT, SHOW or DESCRIBE\)/);
  });
});
