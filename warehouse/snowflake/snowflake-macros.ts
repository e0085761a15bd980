import { parsedDocumentRecords } from '../record-fields.js';
import { TIME_WITH_UTC_OFFSET } from '../utc-offset-pattern.js';
import { isPlainIdentifier, quoteIdent, quoteLiteral } from './snowflake-identifiers.js';

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COLUMN_REF = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)*$/;

/**
 * `r.value` + `platform.id` → `r.value:platform.id`, a VARIANT. JSON keys are case-sensitive and
 * path elements keep their case; a reserved word is quoted. Anything but a column reference goes
 * through GET_PATH, whose path is a plain string. Rejects paths that are not dotted names.
 */
export function variantPath(expr: string, path: string): string {
  const segments = path.split('.');
  if (segments.some((s) => !PATH_SEGMENT.test(s))) throw new Error(`invalid JSON path "${path}"`);
  if (!COLUMN_REF.test(expr)) return `GET_PATH(${expr}, ${quoteLiteral(path)})`;
  return `${expr}:${segments.map((s) => (isPlainIdentifier(s) ? s : `"${s}"`)).join('.')}`;
}

// TRY_CAST in Snowflake takes only strings: the VARIANT goes through ::string first (JSON null → NULL).
const cast = (type: string) => (expr: string, path: string) => `TRY_CAST(${variantPath(expr, path)}::string AS ${type})`;

const json_text = (expr: string, path: string): string => `${variantPath(expr, path)}::string`;
const json_get = variantPath;
const json_int = cast('NUMBER');
const json_float = cast('DOUBLE');
const json_bool = cast('BOOLEAN');
const json_date = cast('DATE');
// A UTC offset in the text is honoured (the UTC wall time, whatever the session's TIMEZONE); text
// without one is read as UTC — as on DuckDB and Postgres. REGEXP_LIKE matches the whole text.
const json_timestamp = (expr: string, path: string): string => {
  const text = json_text(expr, path);
  return (
    `(CASE WHEN REGEXP_LIKE(${text}, ${quoteLiteral(`.*${TIME_WITH_UTC_OFFSET}`)}) ` +
    `THEN CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(${text}))::TIMESTAMP_NTZ ELSE TRY_CAST(${text} AS TIMESTAMP_NTZ) END)`
  );
};
/**
 * One row per element of an array as `alias.value`; AS_ARRAY turns a missing, null or non-array
 * value into NULL, which FLATTEN (OUTER => FALSE) turns into no rows — as on DuckDB.
 */
const elements = (value: string, alias: string): string => `, LATERAL FLATTEN(input => AS_ARRAY(${value}), OUTER => FALSE) AS ${quoteIdent(alias)}`;

/** The models' portable macros (see warehouse/duckdb for the same names); pure text. */
export const snowflakeMacros: Readonly<Record<string, (...args: string[]) => string>> = {
  json_text,
  json_get,
  json_int,
  json_float,
  json_bool,
  json_date,
  json_timestamp,
  flatten: (expr: string, path: string, alias: string) => elements(variantPath(expr, path), alias),
  ...parsedDocumentRecords({ json_text, json_int, json_float, json_bool, json_date, json_timestamp, json_get }, elements),
  /** One row per day from `start` to `end` inclusive as `alias.date_day`. */
  date_spine: (start: string, end: string, alias: string) =>
    `, LATERAL (SELECT DATEADD(day, s.index, CAST(${start} AS DATE)) AS date_day ` +
    `FROM TABLE(FLATTEN(input => ARRAY_GENERATE_RANGE(0, DATEDIFF(day, CAST(${start} AS DATE), CAST(${end} AS DATE)) + 1))) AS s) AS ${quoteIdent(alias)}`,
  /** The group's values joined by `delimiter` (a SQL string literal) in `order_by` order, as dbt's listagg. */
  listagg: (measure: string, delimiter: string, orderBy: string) => `LISTAGG(${measure}, ${delimiter}) WITHIN GROUP (ORDER BY ${orderBy})`,
  /** A float rounded to `places` decimals, still a float (ROUND of a FLOAT is a FLOAT). */
  round_float: (expr: string, places: string) => `ROUND(${expr}, ${places})`,
  /** ISO day of the week, Monday = 1 … Sunday = 7. */
  iso_day_of_week: (expr: string) => `DAYOFWEEKISO(${expr})`,
  /** ISO 8601 week of the year (1-53). */
  iso_week: (expr: string) => `WEEKISO(${expr})`,
};
