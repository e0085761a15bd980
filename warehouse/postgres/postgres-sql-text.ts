/**
 * Quoting for PostgreSQL text. Unquoted names fold to lower case in Postgres, so a name is left
 * bare only when it is already lower case, plain and not a reserved word; anything else is quoted
 * (keeping its case, as DuckDB's case-preserving names expect).
 */
const PLAIN = /^[a-z_][a-z0-9_$]*$/;
// Postgres's reserved key words (those that can never be a bare column or table name).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true union ' +
    'unique user using variadic verbose when where window with'
  ).split(' '),
);

export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('an empty SQL identifier');
  return PLAIN.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `marts.dim_games` → each part quoted as needed. */
export function quoteRelation(relation: string): string {
  return relation.split('.').map(quoteIdent).join('.');
}

/** A string literal with standard_conforming_strings on (the default since 9.1): only `'` doubles. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a SQL literal cannot hold a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A relation's schema and name, unquoted (`marts.dim_games` → ['marts', 'dim_games']). */
export function splitRelation(relation: string): [string, string] {
  const at = relation.indexOf('.');
  if (at < 0) return ['public', relation];
  return [relation.slice(0, at), relation.slice(at + 1)];
}
