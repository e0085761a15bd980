import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectGolden, sqlSections } from '../../tests/helpers/golden.js';
import { duckDbDialect } from '../duckdb/index.js';
import { postgresDialect, siblingName } from './postgres-dialect.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
const model = 'select dt, game_id, rating from staging.stg_rawg__games_daily';

describe('postgresDialect (golden)', () => {
  it('schemas, views and tables built beside and swapped, partition replacement and merge', () => {
    const d = postgresDialect;
    expectGolden(
      GOLDEN,
      'dialect.sql',
      sqlSections([
        ['createSchema (existence first, concurrent creators waited for)', d.createSchema('marts')],
        ['replaceRelation view', d.replaceRelation!('view', 'staging.stg_rawg__games', 'select * from raw.rawg_games')],
        ['replaceRelation table (built beside, analyzed, swapped with lock_timeout and retries)', d.replaceRelation!('table', 'marts.dim_games', 'select 1 as game_id')],
        ['replacePartition one day', d.replacePartition('marts.fct_game_daily_snapshot', model, 'dt', { start: '2024-05-01', end: '2024-05-01' })],
        ['replacePartition hours', d.replacePartition('marts.mart_events_hourly', model, 'event_hour', { start: '2024-05-01T05', end: '2024-05-01T06' })],
        ['mergeOnKey composite key', d.mergeOnKey!('marts.daily_scores', 'select dt, game_id, score from staging.scores', ['dt', 'game_id'])],
      ]),
    );
  });

  it('every model macro: jsonb paths, guarded casts (Postgres has no TRY_CAST)', () => {
    const m = postgresDialect.macros;
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
        ['listagg', `select ${m.listagg!('name', "', '", 'name')}`],
        ['iso_day_of_week', `select ${m.iso_day_of_week!('date_day')}`],
        ['iso_week', `select ${m.iso_week!('date_day')}`],
        ['round_float', `select ${m.round_float!('avg(rating)', '2')}`],
      ]),
    );
  });

  it('offers every macro the DuckDB dialect offers, so a model compiles for both', () => {
    expect(Object.keys(postgresDialect.macros).sort()).toEqual(Object.keys(duckDbDialect.macros).sort());
  });

  it('rejects JSON paths that are not dotted names (no SQL through a path)', () => {
    expect(() => postgresDialect.macros.json_text!('value', "a'); drop table x; --")).toThrow(/invalid JSON path/);
    expect(() => postgresDialect.macros.flatten!('value', 'a..b', 'x')).toThrow(/invalid JSON path/);
  });

  it('names the swap siblings within 63 bytes, so Postgres never truncates two into one', () => {
    expect(siblingName('dim_games', 'next')).toBe('dim_games__gmp_next');
    const long = 'a'.repeat(60);
    const next = siblingName(long, 'next');
    expect(Buffer.byteLength(next)).toBeLessThanOrEqual(63);
    expect(next).not.toBe(siblingName(`${'a'.repeat(59)}b`, 'next'));
  });
});
