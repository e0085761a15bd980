import { describe, expect, it } from 'vitest';
import type { Row, WarehouseDialect } from '../../warehouse/index.js';
import type { FreshWarehouse } from './warehouse-conformance.js';
import { seedRawRecords } from './warehouse-seed.js';

type Macro = (...args: string[]) => string;
/** A dialect's macro by name; a missing one fails the case that needs it. */
type Macros = (name: string) => Macro;

interface MacroCase {
  /** Reads raw.games (GAMES), loaded the way the engine reads the lake. */
  games?: boolean;
  sql(m: Macros): string;
  expected: Row[];
}

/** Every macro the models may call on any engine (models/README.md). */
const REQUIRED = [
  'json_text',
  'json_get',
  'json_int',
  'json_float',
  'json_bool',
  'json_date',
  'json_timestamp',
  'flatten',
  'json_record',
  'record_text',
  'record_int',
  'record_float',
  'record_bool',
  'record_date',
  'record_timestamp',
  'record_list',
  'record_flatten',
  'date_spine',
  'iso_week',
  'iso_day_of_week',
  'listagg',
];

// RAWG-like records: typed values, values as text, values of the wrong shape, JSON nulls, missing keys.
const GAMES = [
  { id: 1, name: 'Portal 2', rating: 4.5, tba: false, released: '2011-04-18', updated: '2024-05-01T10:00:00+02:00', added: '17', esrb: { slug: 'everyone' }, genres: [{ id: 4, name: 'Action' }, { id: 51, name: 'Indie' }] },
  { id: 2, name: 'Ünïcode “quotes” \\ 日本', rating: '3.25', tba: 'true', released: '2024-02-29', updated: '2024-05-01T23:30:00-05:00', added: 3.7, esrb: null, genres: [] },
  { id: 3, name: null, rating: 'n/a', tba: 'no', released: '2024-02-30', updated: '2024-05-01T10:00:00Z', added: 'abc', genres: null },
  { id: 4, rating: 3, tba: 'maybe', released: '2024-05-01T10:00:00', updated: '2024-05-01 10:00:00.250', added: -7, genres: 'Action' },
  { id: 5, name: 'Last', released: 'soon', updated: 'garbage', genres: { id: 4 } },
];

/** `SELECT <columns> FROM raw.games AS r ORDER BY id`, columns as `name: expression`. */
const perGame = (m: Macros, columns: Record<string, string>): string =>
  `SELECT ${m('json_text')('r.value', 'id')} AS id, ${Object.entries(columns).map(([name, sql]) => `${sql} AS ${name}`).join(', ')} FROM raw.games AS r ORDER BY 1`;
/** The same over each record parsed once by `json_record` into `p.rec`. */
const RECORD_FIELDS = 'name, rating, tba, released, updated, added, esrb.slug, genres[].id, genres[].name';
const perRecord = (m: Macros, columns: (rec: string) => Record<string, string>): string =>
  `SELECT p.id, ${Object.entries(columns('p.rec')).map(([name, sql]) => `${sql} AS ${name}`).join(', ')} ` +
  `FROM (SELECT ${m('json_text')('r.value', 'id')} AS id, ${m('json_record')('r.value', RECORD_FIELDS)} AS rec FROM raw.games AS r) AS p ORDER BY 1`;
const column = (name: string, values: unknown[]): Row[] => values.map((v, i) => ({ id: String(i + 1), [name]: v }));

const ISO_DAYS = ['2021-01-03', '2024-05-01', '2024-12-30'];
const isoDays = (expr: string) => `SELECT CAST(d AS VARCHAR) AS d, ${expr} AS v FROM (${ISO_DAYS.map((d) => `SELECT CAST('${d}' AS DATE) AS d`).join(' UNION ALL ')}) AS t ORDER BY 1`;
const isoRows = (values: number[]) => ISO_DAYS.map((d, i) => ({ d, v: values[i] }));

const FLATTENED_GENRES: Row[] = [
  { id: '1', genre_id: 4, genre: 'Action' },
  { id: '1', genre_id: 51, genre: 'Indie' },
];
const recordGenres = (m: Macros): string =>
  `SELECT l.id, ${m('record_int')('g.value', 'id')} AS genre_id, ${m('record_text')('g.value', 'name')} AS genre ` +
  `FROM (SELECT p.id, ${m('record_list')('p.rec', 'genres')} AS genres FROM (SELECT ${m('json_text')('r.value', 'id')} AS id, ` +
  `${m('json_record')('r.value', RECORD_FIELDS)} AS rec FROM raw.games AS r) AS p) AS l ${m('record_flatten')('l.genres', 'g')} ORDER BY 1, 2`;

const CASES: Record<string, MacroCase> = {
  json_text: {
    games: true,
    sql: (m) => perGame(m, { name: m('json_text')('r.value', 'name'), esrb: m('json_text')('r.value', 'esrb.slug'), rating: m('json_text')('value', 'rating') }),
    expected: [
      { id: '1', name: 'Portal 2', esrb: 'everyone', rating: '4.5' },
      { id: '2', name: 'Ünïcode “quotes” \\ 日本', esrb: null, rating: '3.25' },
      { id: '3', name: null, esrb: null, rating: 'n/a' },
      { id: '4', name: null, esrb: null, rating: '3' },
      { id: '5', name: 'Last', esrb: null, rating: null },
    ],
  },
  json_get: {
    games: true,
    sql: (m) => perGame(m, { esrb: m('json_text')(m('json_get')('r.value', 'esrb'), 'slug'), missing: `${m('json_get')('r.value', 'no_such_key')} IS NULL` }),
    expected: [
      { id: '1', esrb: 'everyone', missing: true },
      { id: '2', esrb: null, missing: true },
      { id: '3', esrb: null, missing: true },
      { id: '4', esrb: null, missing: true },
      { id: '5', esrb: null, missing: true },
    ],
  },
  // A decimal rounds to the nearest integer (TRY_CAST on DuckDB and Snowflake); text of another shape is NULL.
  json_int: { games: true, sql: (m) => perGame(m, { added: m('json_int')('r.value', 'added') }), expected: column('added', [17, 4, null, -7, null]) },
  json_float: { games: true, sql: (m) => perGame(m, { rating: m('json_float')('r.value', 'rating') }), expected: column('rating', [4.5, 3.25, null, 3, null]) },
  json_bool: { games: true, sql: (m) => perGame(m, { tba: m('json_bool')('r.value', 'tba') }), expected: column('tba', [false, true, false, null, null]) },
  // An impossible day (2024-02-30) is NULL, never a failed model; a timestamp's date is its date.
  json_date: {
    games: true,
    sql: (m) => perGame(m, { released: `CAST(${m('json_date')('r.value', 'released')} AS VARCHAR)` }),
    expected: column('released', ['2011-04-18', '2024-02-29', null, '2024-05-01', null]),
  },
  // Offsets are honoured: the result is the UTC wall time.
  json_timestamp: {
    games: true,
    sql: (m) => perGame(m, { updated: `CAST(${m('json_timestamp')('r.value', 'updated')} AS VARCHAR)` }),
    expected: column('updated', ['2024-05-01 08:00:00', '2024-05-02 04:30:00', '2024-05-01 10:00:00', '2024-05-01 10:00:00.25', null]),
  },
  // One row per element of an array; an empty, null, missing or non-array value gives none.
  flatten: {
    games: true,
    sql: (m) =>
      `SELECT ${m('json_text')('r.value', 'id')} AS id, ${m('json_int')('g.value', 'id')} AS genre_id, ${m('json_text')('g.value', 'name')} AS genre ` +
      `FROM raw.games AS r ${m('flatten')('r.value', 'genres', 'g')} ORDER BY 1, 2`,
    expected: [
      { id: '1', genre_id: 4, genre: 'Action' },
      { id: '1', genre_id: 51, genre: 'Indie' },
    ],
  },
  // A record parsed once reads as the JSON paths do: the same values from the same documents.
  json_record: {
    games: true,
    sql: (m) => perRecord(m, (rec) => ({ name: m('record_text')(rec, 'name'), added: m('record_int')(rec, 'added') })),
    expected: [
      { id: '1', name: 'Portal 2', added: 17 },
      { id: '2', name: 'Ünïcode “quotes” \\ 日本', added: 4 },
      { id: '3', name: null, added: null },
      { id: '4', name: null, added: -7 },
      { id: '5', name: 'Last', added: null },
    ],
  },
  record_text: {
    games: true,
    sql: (m) => perRecord(m, (rec) => ({ esrb: m('record_text')(rec, 'esrb.slug'), rating: m('record_text')(rec, 'rating') })),
    expected: [
      { id: '1', esrb: 'everyone', rating: '4.5' },
      { id: '2', esrb: null, rating: '3.25' },
      { id: '3', esrb: null, rating: 'n/a' },
      { id: '4', esrb: null, rating: '3' },
      { id: '5', esrb: null, rating: null },
    ],
  },
  record_int: { games: true, sql: (m) => perRecord(m, (rec) => ({ added: m('record_int')(rec, 'added') })), expected: column('added', [17, 4, null, -7, null]) },
  record_float: { games: true, sql: (m) => perRecord(m, (rec) => ({ rating: m('record_float')(rec, 'rating') })), expected: column('rating', [4.5, 3.25, null, 3, null]) },
  record_bool: { games: true, sql: (m) => perRecord(m, (rec) => ({ tba: m('record_bool')(rec, 'tba') })), expected: column('tba', [false, true, false, null, null]) },
  record_date: {
    games: true,
    sql: (m) => perRecord(m, (rec) => ({ released: `CAST(${m('record_date')(rec, 'released')} AS VARCHAR)` })),
    expected: column('released', ['2011-04-18', '2024-02-29', null, '2024-05-01', null]),
  },
  record_timestamp: {
    games: true,
    sql: (m) => perRecord(m, (rec) => ({ updated: `CAST(${m('record_timestamp')(rec, 'updated')} AS VARCHAR)` })),
    expected: column('updated', ['2024-05-01 08:00:00', '2024-05-02 04:30:00', '2024-05-01 10:00:00', '2024-05-01 10:00:00.25', null]),
  },
  // A record's list kept as a column, then one row per element: as flatten over the JSON.
  record_list: { games: true, sql: (m) => recordGenres(m), expected: FLATTENED_GENRES },
  record_flatten: { games: true, sql: (m) => recordGenres(m), expected: FLATTENED_GENRES },
  date_spine: {
    sql: (m) =>
      `SELECT b.span, CAST(d.date_day AS VARCHAR) AS date_day FROM (SELECT 'leap' AS span, CAST('2024-02-27' AS DATE) AS first_day, CAST('2024-03-01' AS DATE) AS last_day ` +
      `UNION ALL SELECT 'one', CAST('2024-05-01' AS DATE), CAST('2024-05-01' AS DATE) UNION ALL SELECT 'none', CAST('2024-05-02' AS DATE), CAST('2024-05-01' AS DATE)) AS b ` +
      `${m('date_spine')('b.first_day', 'b.last_day', 'd')} ORDER BY 1, 2`,
    expected: [
      { span: 'leap', date_day: '2024-02-27' },
      { span: 'leap', date_day: '2024-02-28' },
      { span: 'leap', date_day: '2024-02-29' },
      { span: 'leap', date_day: '2024-03-01' },
      { span: 'one', date_day: '2024-05-01' },
    ],
  },
  // 2021-01-03 is a Sunday in ISO week 53 of 2020; 2024-12-30 a Monday in week 1 of 2025.
  iso_week: { sql: (m) => isoDays(m('iso_week')('d')), expected: isoRows([53, 18, 1]) },
  iso_day_of_week: { sql: (m) => isoDays(m('iso_day_of_week')('d')), expected: isoRows([7, 3, 1]) },
  listagg: {
    sql: (m) => `SELECT grp, ${m('listagg')('name', "', '", 'name DESC')} AS names FROM (VALUES ('a', 'x'), ('a', 'y'), ('a', 'w'), ('b', 'z')) AS t(grp, name) GROUP BY grp ORDER BY grp`,
    expected: [
      { grp: 'a', names: 'y, x, w' },
      { grp: 'b', names: 'z' },
    ],
  },
  round_float: {
    sql: (m) => `SELECT ${m('round_float')('avg(x)', '2')} AS up, ${m('round_float')('avg(-x)', '1')} AS down FROM (VALUES (1), (2), (2)) AS t(x)`,
    expected: [{ up: 1.67, down: -1.7 }],
  },
};

/**
 * The models' macros give the same values on every engine. Each required macro, and every other
 * macro the dialect has, gets a case: a required one missing, or a macro without a case, fails.
 */
export function describeMacroConformance(fresh: FreshWarehouse, dialect: WarehouseDialect): void {
  describe('macros', () => {
    const names = [...new Set([...REQUIRED, ...Object.keys(dialect.macros)])].sort();
    for (const name of names) {
      it(`${name} gives the same values as on every engine`, async () => {
        const macroCase = CASES[name];
        if (macroCase === undefined) throw new Error(`the ${dialect.name} dialect has a macro ${name} that this suite has no case for: add one`);
        const { warehouse } = await fresh();
        const m: Macros = (macro) => {
          const f = warehouse.dialect.macros[macro];
          if (f === undefined) throw new Error(`the ${warehouse.dialect.name} dialect has no ${macro} macro`);
          return f;
        };
        if (macroCase.games) await seedRawRecords(warehouse, 'raw.games', GAMES);
        expect(await warehouse.query(macroCase.sql(m))).toEqual(macroCase.expected);
      });
    }
  });
}
