import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectGolden, sqlSections } from '../../tests/helpers/golden.js';
import { duckDbDialect } from '../duckdb/index.js';
import { snowflakeDialect } from './snowflake-dialect.js';
import { quoteIdent, quoteLiteral, quoteRelation } from './snowflake-identifiers.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
const model = 'select dt, game_id, rating from staging.stg_rawg__games_daily';

describe('snowflakeDialect (golden)', () => {
  it('schemas, views, tables, partition replacement and MERGE', () => {
    const d = snowflakeDialect;
    expectGolden(
      GOLDEN,
      'dialect.sql',
      sqlSections([
        ['createSchema', d.createSchema('marts')],
        ['createView', d.createView('staging.stg_rawg__games', 'select * from raw.rawg_games')],
        ['createTable (atomic CREATE OR REPLACE, grants kept)', d.createTable('marts.dim_games', 'select 1 as game_id')],
        ['replacePartition one day', d.replacePartition('marts.fct_game_daily_snapshot', model, 'dt', { start: '2024-05-01', end: '2024-05-01' })],
        ['replacePartition range', d.replacePartition('marts.fct_game_daily_snapshot', model, 'dt', { start: '2024-05-01', end: '2024-05-07' })],
        ['mergeOnKey one key', d.mergeOnKey!('marts.game_scores', 'select game_id, score from staging.scores', ['game_id'])],
        ['mergeOnKey composite key', d.mergeOnKey!('marts.daily_scores', 'select dt, game_id, score from staging.scores', ['dt', 'game_id'])],
      ]),
    );
  });

  it('every model macro, as VARIANT paths', () => {
    const m = snowflakeDialect.macros;
    expectGolden(
      GOLDEN,
      'macros.sql',
      sqlSections([
        ['json_text', `select ${m.json_text!('r.value', 'esrb_rating.slug')}`],
        ['json_get', `select ${m.json_get!('value', 'platform')}`],
        ['json_int', `select ${m.json_int!('value', 'id')}`],
        ['json_float', `select ${m.json_float!('value', 'rating')}`],
        ['json_bool', `select ${m.json_bool!('value', 'tba')}`],
        ['json_date', `select ${m.json_date!('value', 'released')}`],
        ['json_timestamp', `select ${m.json_timestamp!('value', 'updated')}`],
        ['json_int over an expression (GET_PATH)', `select ${m.json_int!('parse_json(r.raw)', 'platform.id')}`],
        ['json_text with a reserved key', `select ${m.json_text!('x.value', 'order')}`],
        ['flatten', `select x.value from staging.stg_rawg__games as g\n${m.flatten!('g.record', 'genres', 'x')}`],
        ['json_record', `select ${m.json_record!('r.value', 'id, esrb_rating.slug, genres[].id')}`],
        ['record_text', `select ${m.record_text!('rec', 'esrb_rating.slug')}`],
        ['record_int', `select ${m.record_int!('rec', 'id')}`],
        ['record_float', `select ${m.record_float!('rec', 'rating')}`],
        ['record_bool', `select ${m.record_bool!('rec', 'tba')}`],
        ['record_date', `select ${m.record_date!('rec', 'released')}`],
        ['record_timestamp', `select ${m.record_timestamp!('rec', 'updated')}`],
        ['record_list', `select ${m.record_list!('rec', 'platforms')}`],
        ['record_flatten', `select x.value from staging.stg_rawg__games_daily as d\n${m.record_flatten!('d.platforms', 'x')}`],
        ['date_spine', `select d.date_day from bounds as b\n${m.date_spine!('b.first_day', 'b.last_day', 'd')}`],
        ['iso_day_of_week', `select ${m.iso_day_of_week!('date_day')}`],
        ['iso_week', `select ${m.iso_week!('date_day')}`],
        ['round_float', `select ${m.round_float!('avg(rating)', '2')}`],
      ]),
    );
  });

  it('offers every macro the DuckDB dialect offers, so a model compiles for both', () => {
    expect(Object.keys(snowflakeDialect.macros).sort()).toEqual(Object.keys(duckDbDialect.macros).sort());
  });

  it('rejects JSON paths that are not dotted names (no SQL through a path)', () => {
    expect(() => snowflakeDialect.macros.json_text!('value', "a'); drop table x; --")).toThrow(/invalid JSON path/);
    expect(() => snowflakeDialect.macros.flatten!('value', 'a..b', 'x')).toThrow(/invalid JSON path/);
  });
});

describe('Snowflake identifiers and literals', () => {
  it('leaves plain names bare (case-insensitive, like DuckDB) and quotes the rest', () => {
    expect(quoteRelation('marts.dim_games')).toBe('marts.dim_games');
    expect(quoteIdent('Dim_Games')).toBe('Dim_Games');
    // A reserved word quoted in upper case means what the unquoted name would have meant.
    expect(quoteIdent('order')).toBe('"ORDER"');
    expect(quoteIdent('game-id')).toBe('"game-id"');
    expect(quoteIdent('say "hi"')).toBe('"say ""hi"""');
  });

  it('escapes quotes and backslashes in string literals', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("'a\\\\b'");
  });
});
