// Snowflake's reserved and limited keywords (docs.snowflake.com/en/sql-reference/reserved-keywords).
const RESERVED = new Set(
  (
    'ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS ' +
    'CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS ' +
    'FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ' +
    'ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION ' +
    'QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO ' +
    'TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WINDOW WITH'
  ).split(' '),
);
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** True for a name Snowflake reads unquoted (and then case-insensitively, stored upper case). */
export function isPlainIdentifier(name: string): boolean {
  return PLAIN.test(name) && !RESERVED.has(name.toUpperCase());
}

/**
 * A name as Snowflake should see it. Plain names stay unquoted, so `marts.dim_games` and a BI
 * tool's `MARTS.DIM_GAMES` are the same table (the engine folds them to upper case, as DuckDB
 * ignores case). A reserved word is quoted in upper case, which is what an unquoted name would
 * have meant; anything else is quoted as written (and is then case-sensitive).
 */
export function quoteIdent(name: string): string {
  if (isPlainIdentifier(name)) return name;
  if (PLAIN.test(name)) return `"${name.toUpperCase()}"`;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` → each part quoted as needed. */
export function quoteRelation(relation: string): string {
  return relation.split('.').map(quoteIdent).join('.');
}

/** A string literal; backslashes are escapes inside Snowflake single quotes, so they are doubled too. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
