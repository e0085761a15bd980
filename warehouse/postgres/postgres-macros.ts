import { parsedDocumentRecords } from '../record-fields.js';
import { quoteIdent, quoteLiteral } from './postgres-identifiers.js';

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `platform.id` → `'{platform,id}'`, a jsonb path; rejects anything that is not a dotted name path. */
function jsonPath(path: string): string {
  const segments = path.split('.');
  if (segments.some((s) => !PATH_SEGMENT.test(s))) throw new Error(`invalid JSON path "${path}"`);
  return quoteLiteral(`{${segments.join(',')}}`);
}

const text = (expr: string, path: string): string => `(${expr} #>> ${jsonPath(path)})`;

// Postgres has no TRY_CAST: each cast is guarded by the shape of the text, so a value of another
// shape is NULL (as TRY_CAST gives on DuckDB and Snowflake) instead of failing the whole model.
const FLOAT = String.raw`^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$`;
// A date, optionally a time, optionally an offset Postgres accepts (at most ±15:59).
const TIMESTAMP = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$`;
const TRUE = `('true', 't', 'yes', 'y', 'on', '1')`;
const FALSE = `('false', 'f', 'no', 'n', 'off', '0')`;
const BIGINT_LIMIT = '9223372036854775807.5';
const DOUBLE_MAX = '1.7976931348623157e308';
const DOUBLE_MIN = '2.2250738585072014e-308';

/**
 * `cast(value)` where `value` has the shape of `pattern` and passes `check` (both guards of the
 * cast: CASE evaluates in order, so the check sees only text of that shape), else NULL.
 */
const guarded = (pattern: string, check: (value: string) => string, cast: (value: string) => string) => (expr: string, path: string) => {
  const value = text(expr, path);
  return `(CASE WHEN ${value} ~ ${quoteLiteral(pattern)} THEN CASE WHEN ${check(value)} THEN ${cast(value)} END END)`;
};

const numeric = (value: string): string => `CAST(${value} AS numeric)`;

/**
 * The leading `YYYY-MM-DD` is a day of the calendar: Postgres refuses 2023-02-29 or year 0 with an
 * error that would fail the model, where TRY_CAST gives NULL.
 */
function calendarDay(value: string): string {
  const part = (from: number, length: number) => `CAST(substr(${value}, ${from}, ${length}) AS integer)`;
  const [year, month, day] = [part(1, 4), part(6, 2), part(9, 2)];
  const leap = `(${year} % 4 = 0 AND (${year} % 100 <> 0 OR ${year} % 400 = 0))`;
  return `${year} > 0 AND ${day} <= CASE WHEN ${month} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
}

/** One row per element of a jsonb array as `alias.value`; a missing, null or non-array value yields no rows. */
const elements = (value: string, alias: string): string =>
  `CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE '[]'::jsonb END) AS ${quoteIdent(alias)}(value)`;

const json_get = (expr: string, path: string): string => `(${expr} #> ${jsonPath(path)})`;
const json_int = guarded(FLOAT, (v) => `abs(${numeric(v)}) < ${BIGINT_LIMIT}`, (v) => `CAST(${numeric(v)} AS bigint)`);
const json_float = guarded(FLOAT, (v) => `(${numeric(v)} = 0 OR abs(${numeric(v)}) BETWEEN ${DOUBLE_MIN} AND ${DOUBLE_MAX})`, (v) => `CAST(${v} AS double precision)`);
const json_bool = (expr: string, path: string): string => {
  const value = `lower(btrim(${text(expr, path)}))`;
  return `(CASE WHEN ${value} IN ${TRUE} THEN true WHEN ${value} IN ${FALSE} THEN false END)`;
};
const json_date = guarded(TIMESTAMP, calendarDay, (v) => `CAST(substr(${v}, 1, 10) AS date)`);
const json_timestamp = guarded(TIMESTAMP, calendarDay, (v) => `(CAST(${v} AS timestamptz) AT TIME ZONE 'UTC')`);

/** The models' portable macros (see warehouse/duckdb for the same names); pure text. */
export const postgresMacros: Readonly<Record<string, (...args: string[]) => string>> = {
  json_text: text,
  json_get,
  // A decimal rounds to the nearest integer (half away from zero), as TRY_CAST to an integer does on DuckDB and Snowflake.
  json_int,
  // Beyond a double's range Postgres fails the cast: NULL instead.
  json_float,
  json_bool,
  // A timestamp's date is the date written in it (its offset ignored), as TRY_CAST(… AS DATE) gives.
  json_date,
  // An offset in the text is honoured (the session's time zone is UTC, so text without one is UTC):
  // the result is the UTC wall time.
  json_timestamp,
  /** One row per element of a JSON array as `alias.value`; a missing, null or non-array value yields no rows. */
  flatten: (expr: string, path: string, alias: string) => elements(json_get(expr, path), alias),
  ...parsedDocumentRecords({ json_text: text, json_int, json_float, json_bool, json_date, json_timestamp, json_get }, elements),
  /** One row per day from `start` to `end` inclusive as `alias.date_day`. */
  date_spine: (start: string, end: string, alias: string) =>
    `CROSS JOIN LATERAL (SELECT CAST(spine_day AS date) AS date_day FROM generate_series(CAST(CAST(${start} AS date) AS timestamp), CAST(CAST(${end} AS date) AS timestamp), interval '1 day') AS spine(spine_day)) AS ${quoteIdent(alias)}`,
  /** The group's values joined by `delimiter` (a SQL string literal) in `order_by` order, as dbt's listagg. */
  listagg: (measure: string, delimiter: string, orderBy: string) => `string_agg(${measure}, ${delimiter} ORDER BY ${orderBy})`,
  /** ISO day of the week, Monday = 1 … Sunday = 7 (bigint, as DuckDB's isodow). */
  iso_day_of_week: (expr: string) => `CAST(extract(isodow FROM ${expr}) AS bigint)`,
  /** ISO 8601 week of the year (1-53). */
  iso_week: (expr: string) => `CAST(extract(week FROM ${expr}) AS bigint)`,
  /**
   * A double rounded to `places` decimals, still a double, exactly as DuckDB rounds it: scaled,
   * rounded half away from zero, scaled back. (Postgres's round(double) rounds half to even, and a
   * cast to numeric first rounds to 15 digits: 2.8125 and 3.72749999… would both come out otherwise.)
   */
  round_float: (expr: string, places: string) => {
    const scale = `power(10, ${places})`;
    return `(sign(CAST(${expr} AS double precision)) * floor(abs(CAST(${expr} AS double precision)) * ${scale} + 0.5) / ${scale})`;
  },
};
