import { ConfigError } from '../../core/index.js';

// Every keyword Postgres will not take as a bare name: pg_get_keywords() with catcode R (reserved),
// T (type or function name) and C (column name) on Postgres 15, plus those 16 and 17 added. Its own
// quote_ident() quotes exactly these; quoting a word a server does not reserve is harmless.
const KEYWORDS = new Set(
  (
    // R
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when ' +
    'where window with ' +
    // T
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like ' +
    'natural notnull outer overlaps right similar tablesample verbose ' +
    // C
    'between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int ' +
    'integer interval json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value least merge_action national nchar none normalize nullif numeric out overlay ' +
    'position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);
const PLAIN = /^[a-z_][a-z0-9_]*$/;
/** NAMEDATALEN - 1: Postgres silently truncates a longer name, so two long names could become one. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Throws a ConfigError naming `what` unless `name` is a name Postgres keeps as written: 1 to 63
 * bytes (UTF-8), without a NUL character.
 */
export function assertIdentifier(name: string, what = 'identifier'): void {
  if (name.length === 0) throw new ConfigError(`Postgres ${what} is empty`);
  if (name.includes('\0')) throw new ConfigError(`Postgres ${what} ${JSON.stringify(name)} contains a NUL character`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new ConfigError(`Postgres ${what} ${JSON.stringify(name)} is ${bytes} bytes long; Postgres keeps at most ${MAX_IDENTIFIER_BYTES}`, {
      hint: 'choose a shorter name: Postgres would silently cut this one',
    });
  }
}

/**
 * A name as Postgres should see it, as its quote_ident() writes it: bare when it is lower case,
 * plain and not a keyword (so `marts.dim_games` reads as a BI tool would type it), otherwise in
 * double quotes with quotes doubled (then case-sensitive: `Marts` stays `Marts`). Throws a
 * ConfigError for an empty, over-long or NUL-containing name (see assertIdentifier).
 */
export function quoteIdent(name: string): string {
  assertIdentifier(name);
  if (PLAIN.test(name) && !KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` → each part quoted as needed (gmp's relation names hold no dot inside a part). */
export function quoteRelation(relation: string): string {
  return relation.split('.').map(quoteIdent).join('.');
}

/**
 * A string literal that reads the same whatever standard_conforming_strings is: quotes doubled,
 * and a value holding a backslash written as an escape string (E'…') with backslashes doubled,
 * as Postgres's quote_literal() does. Throws for a NUL character, which no Postgres text can hold.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new ConfigError('a Postgres string cannot contain a NUL character');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** A relation's schema and name, unquoted (`marts.dim_games` → ['marts', 'dim_games']; no schema → public). */
export function splitRelation(relation: string): [string, string] {
  const at = relation.indexOf('.');
  if (at < 0) return ['public', relation];
  return [relation.slice(0, at), relation.slice(at + 1)];
}
