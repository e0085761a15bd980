import type { LocalFilesDialect } from '../warehouse.js';
import { slicePredicate } from '../slice-predicate.js';
import { parseRecordFields, recordPath, type RecordShape } from '../record-fields.js';
import { TIME_WITH_UTC_OFFSET } from '../utc-offset-pattern.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// DuckDB's reserved keywords (duckdb_keywords(), category 'reserved'): never a bare name.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default ' +
    'deferrable desc describe distinct do else end except false fetch for foreign from group having in initially intersect ' +
    'into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary ' +
    'qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot ' +
    'using variadic when where window with'
  ).split(' '),
);

function quoteIdent(name: string): string {
  return IDENT.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

function quoteRelation(relation: string): string {
  return relation.split('.').map(quoteIdent).join('.');
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `platform.id` → `'$.platform.id'`; rejects anything that is not a dotted name path. */
function jsonPath(path: string): string {
  const segments = path.split('.');
  if (segments.some((s) => !PATH_SEGMENT.test(s))) throw new Error(`invalid JSON path "${path}"`);
  return quoteLiteral(`$.${path}`);
}

const isParquet = (file: string): boolean => file.endsWith('.parquet');

const jsonText = (expr: string, path: string): string => `(${expr} ->> ${jsonPath(path)})`;

// Typed values from text, the same for a JSON path and a field of a parsed record.
const cast = (type: string) => (text: string) => `TRY_CAST(${text} AS ${type})`;
const toInt = cast('BIGINT');
const toFloat = cast('DOUBLE');
const toBool = cast('BOOLEAN');
const toDate = cast('DATE');
// A UTC offset in the text is honoured (the result is the UTC wall time, whatever the session's
// time zone); text without one is read as UTC — as on Postgres.
const toTimestamp = (text: string): string =>
  `(CASE WHEN regexp_matches(${text}, ${quoteLiteral(`${TIME_WITH_UTC_OFFSET}$`)}) THEN TRY_CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) ELSE TRY_CAST(${text} AS TIMESTAMP) END)`;
const fromJson = (typed: (text: string) => string) => (expr: string, path: string) => typed(jsonText(expr, path));

/** `json_transform`'s structure for a record shape: every value is kept as text (VARCHAR). */
function structure(shape: RecordShape): unknown {
  if (shape.kind === 'text') return 'VARCHAR';
  if (shape.kind === 'list') return [structure(shape.of)];
  return Object.fromEntries([...shape.fields].map(([name, child]) => [name, structure(child)]));
}

const COLUMN_REF = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A field of a parsed record (a STRUCT): `x.value` + `platform.id` → `x.value.platform.id`. */
function recordField(expr: string, path: string): string {
  const segments = recordPath(path);
  // A column reference takes the dotted path (lineage reads it as a field path); anything else struct_extract.
  if (COLUMN_REF.test(expr)) return [...expr.split('.'), ...segments].map(quoteIdent).join('.');
  return segments.reduce((out, s) => `struct_extract(${out}, ${quoteLiteral(s)})`, expr);
}
const fromRecord = (typed: (text: string) => string) => (expr: string, path: string) => typed(recordField(expr, path));

/** DuckDB SQL generation. Pure: every function returns text. */
export const duckDbDialect: LocalFilesDialect = {
  name: 'duckdb',
  quoteIdent,
  quoteLiteral,
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  rawTableView(relation, files, layout = {}) {
    const dtType = layout.hourly ? 'VARCHAR' : 'DATE';
    const columns = (layout.columns ?? []).map((c) => ({ name: quoteIdent(c), path: jsonPath(c) }));
    if (files.length === 0) {
      const empty = columns.map((c) => `, CAST(NULL AS VARCHAR) AS ${c.name}`).join('');
      return `CREATE OR REPLACE VIEW ${quoteRelation(relation)} AS SELECT CAST(NULL AS ${dtType}) AS dt, CAST(NULL AS VARCHAR) AS run_id${empty}, CAST(NULL AS JSON) AS value WHERE false`;
    }
    // Compacted days of an hourly entity are Parquet (`hour`, `run_id`, `value` as JSON text, one
    // row per event): read beside the hourly JSON files with the same columns, `dt` the stored hour.
    const parquet = layout.hourly ? files.filter(isParquet) : [];
    const json = parquet.length === 0 ? files : files.filter((f) => !isParquet(f));
    const selects: string[] = [];
    if (json.length > 0) {
      const list = json.map(quoteLiteral).join(', ');
      const promoted = columns.map((c) => `, json ->> ${c.path} AS ${c.name}`).join('');
      // Hive columns come from the committed file paths (dt=D/run=R), so a record can never claim
      // another partition; `read_ndjson_objects` keeps each record whole as JSON (schema drift is safe).
      selects.push(
        `SELECT dt, run AS run_id${promoted}, json AS value ` +
          `FROM read_ndjson_objects([${list}], hive_partitioning = true, hive_types = {'dt': ${dtType}, 'run': VARCHAR})`,
      );
    }
    if (parquet.length > 0) {
      const list = parquet.map(quoteLiteral).join(', ');
      const promoted = columns.map((c) => `, CAST(value AS JSON) ->> ${c.path} AS ${c.name}`).join('');
      selects.push(`SELECT hour AS dt, run_id${promoted}, CAST(value AS JSON) AS value FROM read_parquet([${list}], hive_partitioning = false)`);
    }
    return `CREATE OR REPLACE VIEW ${quoteRelation(relation)} AS ${selects.join(' UNION ALL ')}`;
  },
  createView: (relation, sql) => `CREATE OR REPLACE VIEW ${quoteRelation(relation)} AS\n${sql}`,
  createTable: (relation, sql) => `CREATE OR REPLACE TABLE ${quoteRelation(relation)} AS\n${sql}`,
  replacePartition(relation, sql, column, range) {
    const rel = quoteRelation(relation);
    const col = quoteIdent(column);
    const where = slicePredicate(col, range, quoteLiteral);
    return [
      `CREATE TABLE IF NOT EXISTS ${rel} AS SELECT * FROM (\n${sql}\n) AS model WHERE false`,
      `DELETE FROM ${rel} WHERE ${where}`,
      `INSERT INTO ${rel} BY NAME SELECT * FROM (\n${sql}\n) AS model WHERE ${where}`,
    ];
  },
  mergeOnKey(relation, sql, key) {
    const rel = quoteRelation(relation);
    // The model runs once into a temp table: its SQL usually reads `this`, which the delete changes.
    const staged = quoteIdent(`gmp_merge__${relation.replace(/\W/g, '_')}`);
    const match = key.map((k) => `${rel}.${quoteIdent(k)} = ${staged}.${quoteIdent(k)}`).join(' AND ');
    return [
      `CREATE OR REPLACE TEMP TABLE ${staged} AS\n${sql}`,
      `DELETE FROM ${rel} USING ${staged} WHERE ${match}`,
      `INSERT INTO ${rel} BY NAME SELECT * FROM ${staged}`,
      `DROP TABLE ${staged}`,
    ];
  },
  macros: {
    json_text: jsonText,
    json_get: (expr: string, path: string) => `json_extract(${expr}, ${jsonPath(path)})`,
    json_int: fromJson(toInt),
    json_float: fromJson(toFloat),
    json_bool: fromJson(toBool),
    json_date: fromJson(toDate),
    json_timestamp: fromJson(toTimestamp),
    /**
     * A JSON document parsed once into a record of the named fields (`'id, esrb_rating.slug,
     * genres[].id'`), every value kept as text: read it with the `record_*` helpers. DuckDB parses
     * the text for each `json_*` call; a record parses it once for all of them.
     */
    json_record: (expr: string, fields: string) => `json_transform(${expr}, ${quoteLiteral(JSON.stringify(structure(parseRecordFields(fields))))})`,
    record_text: fromRecord((text) => text),
    record_int: fromRecord(toInt),
    record_float: fromRecord(toFloat),
    record_bool: fromRecord(toBool),
    record_date: fromRecord(toDate),
    record_timestamp: fromRecord(toTimestamp),
    /** A list of a record (`genres`), to keep as a column or to flatten with `record_flatten`. */
    record_list: recordField,
    /** One row per element of a record's list (`d.genres`) as `alias.value`; a null list yields no rows. */
    record_flatten: (list: string, alias: string) => `CROSS JOIN LATERAL unnest(coalesce(${list}, [])) AS ${quoteIdent(alias)}(value)`,
    /**
     * A lateral join over a JSON array: `FROM t AS r {{ flatten('r.value', 'genres', 'g') }}` yields
     * one row per element as `g.value`; a missing or null array yields no rows.
     */
    flatten: (expr: string, path: string, alias: string) =>
      `CROSS JOIN LATERAL unnest(coalesce(TRY_CAST(json_extract(${expr}, ${jsonPath(path)}) AS JSON[]), CAST([] AS JSON[]))) AS ${quoteIdent(alias)}(value)`,
    /**
     * A lateral join yielding one row per day from `start` to `end` inclusive as `alias.date_day`:
     * `FROM bounds AS b {{ date_spine('b.first_day', 'b.last_day', 'd') }}`.
     */
    date_spine: (start: string, end: string, alias: string) =>
      `CROSS JOIN LATERAL (SELECT CAST(unnest(generate_series(CAST(${start} AS DATE), CAST(${end} AS DATE), INTERVAL 1 DAY)) AS DATE) AS date_day) AS ${quoteIdent(alias)}`,
    /** The group's values joined by `delimiter` (a SQL string literal) in `order_by` order, as dbt's listagg. */
    listagg: (measure: string, delimiter: string, orderBy: string) => `string_agg(${measure}, ${delimiter} ORDER BY ${orderBy})`,
    /** A float rounded to `places` decimals, still a float (Postgres rounds only numerics, so it needs its own). */
    round_float: (expr: string, places: string) => `round(${expr}, ${places})`,
    /** ISO day of the week, Monday = 1 … Sunday = 7. */
    iso_day_of_week: (expr: string) => `isodow(${expr})`,
    /** ISO 8601 week of the year (1-53). */
    iso_week: (expr: string) => `weekofyear(${expr})`,
  },
};
