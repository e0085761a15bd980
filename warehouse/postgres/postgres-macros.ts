import { quoteIdent, quoteLiteral } from './postgres-sql-text.js';

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
const INTEGER = String.raw`^\s*[-+]?[0-9]{1,18}\s*$`;
const FLOAT = String.raw`^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$`;
const DATE = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`;
const TIMESTAMP = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$`;
const TRUE = `('true', 't', 'yes', 'y', 'on', '1')`;
const FALSE = `('false', 'f', 'no', 'n', 'off', '0')`;

const guarded = (pattern: string, cast: (value: string) => string) => (expr: string, path: string) => {
  const value = text(expr, path);
  return `(CASE WHEN ${value} ~ ${quoteLiteral(pattern)} THEN ${cast(value)} END)`;
};

/** The models' portable macros (see warehouse/duckdb for the same names); pure text. */
export const postgresMacros: Readonly<Record<string, (...args: string[]) => string>> = {
  json_text: text,
  json_get: (expr: string, path: string) => `(${expr} #> ${jsonPath(path)})`,
  json_int: guarded(INTEGER, (v) => `CAST(${v} AS bigint)`),
  json_float: guarded(FLOAT, (v) => `CAST(${v} AS double precision)`),
  json_bool: (expr: string, path: string) => {
    const value = `lower(btrim(${text(expr, path)}))`;
    return `(CASE WHEN ${value} IN ${TRUE} THEN true WHEN ${value} IN ${FALSE} THEN false END)`;
  },
  json_date: guarded(DATE, (v) => `CAST(${v} AS date)`),
  // An offset in the text is honoured (the session's time zone is UTC, so text without one is UTC):
  // the result is the UTC wall time, as DuckDB's TRY_CAST(… AS TIMESTAMP) gives.
  json_timestamp: guarded(TIMESTAMP, (v) => `(CAST(${v} AS timestamptz) AT TIME ZONE 'UTC')`),
  /** One row per element of a JSON array as `alias.value`; a missing, null or non-array value yields no rows. */
  flatten: (expr: string, path: string, alias: string) => {
    const value = `(${expr} #> ${jsonPath(path)})`;
    return `CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE '[]'::jsonb END) AS ${quoteIdent(alias)}(value)`;
  },
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
