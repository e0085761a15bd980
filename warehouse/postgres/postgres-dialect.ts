import { createHash } from 'node:crypto';
import type { WarehouseDialect } from '../warehouse.js';
import { slicePredicate } from '../slice-predicate.js';
import { postgresMacros } from './postgres-macros.js';
import { quoteIdent, quoteLiteral, quoteRelation, splitRelation } from './postgres-sql-text.js';

const MAX_IDENT_BYTES = 63;
/** How long the swap waits for readers' locks per attempt: the longest a reader can be held up. */
export const SWAP_LOCK_TIMEOUT_MS = 100;
/** Attempts before the swap gives up (with back-off from 20 ms to 1 s: about 10 minutes). */
export const SWAP_ATTEMPTS = 600;

/** `dim_games` + `next` → `dim_games__gmp_next`, shortened with a hash when Postgres would truncate it. */
export function siblingName(name: string, role: 'next' | 'old'): string {
  const suffix = `__gmp_${role}`;
  if (Buffer.byteLength(name) + suffix.length <= MAX_IDENT_BYTES) return `${name}${suffix}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENT_BYTES - suffix.length - 9)}_${hash}${suffix}`;
}

/** The advisory lock key of a relation's rebuilds (one at a time, whatever the process). */
const advisoryLock = (relation: string): string => `SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(`gmp:${relation}`)}))`;

/**
 * The swap of `schema.next` in for `schema.name`, in the caller's transaction, as one DO block:
 * lock the live relation with a short lock_timeout (readers queue behind the lock request at most
 * that long), retry with back-off while readers hold it, then — holding it — carry the live
 * relation's grants over, rename live → old and next → live, point every view that depended on the
 * old relation at the new one (CREATE OR REPLACE from its definition, so BI views never vanish:
 * no DROP … CASCADE), and drop the old one. Nothing is visible to readers before COMMIT.
 */
function swapBlock(schema: string, name: string): string {
  const live = quoteLiteral(`${quoteIdent(schema)}.${quoteIdent(name)}`);
  const next = quoteLiteral(`${quoteIdent(schema)}.${quoteIdent(siblingName(name, 'next'))}`);
  const oldName = quoteLiteral(siblingName(name, 'old'));
  const liveName = quoteLiteral(name);
  return `DO $gmp_swap$
DECLARE
  live_rel regclass := to_regclass(${live});
  next_rel regclass := to_regclass(${next});
  old_kind "char";
  saved_timeout text := current_setting('lock_timeout');
  view_defs text[];
  grant_stmts text[];
  stmt text;
  attempt integer := 0;
BEGIN
  IF live_rel IS NULL THEN
    EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, ${liveName});
    RETURN;
  END IF;
  PERFORM set_config('lock_timeout', '${SWAP_LOCK_TIMEOUT_MS}ms', true);
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', live_rel);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= ${SWAP_ATTEMPTS} THEN
        RAISE EXCEPTION 'readers held % for too long: the new version was not swapped in', live_rel
          USING ERRCODE = 'lock_not_available', HINT = 'find the long query in pg_stat_activity, then run the model again';
      END IF;
      PERFORM pg_sleep(least(0.02 * attempt, 1.0));
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', saved_timeout, true);
  SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
  SELECT coalesce(array_agg(format('CREATE OR REPLACE VIEW %s AS %s', v.oid::regclass, pg_get_viewdef(v.oid))), '{}')
    INTO view_defs
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v;
  SELECT coalesce(array_agg(format('GRANT %s ON %s TO %s', a.privilege_type, next_rel,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END)), '{}')
    INTO grant_stmts
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a LEFT JOIN pg_roles g ON g.oid = a.grantee
    WHERE c.oid = live_rel AND a.grantee <> c.relowner;
  FOREACH stmt IN ARRAY grant_stmts LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', live_rel, ${oldName});
  EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, ${liveName});
  FOREACH stmt IN ARRAY view_defs LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('DROP %s %s', CASE old_kind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, live_rel);
END
$gmp_swap$`;
}

/** PostgreSQL SQL generation. Pure: every function returns text. */
export const postgresDialect: WarehouseDialect = {
  name: 'postgres',
  quoteIdent,
  quoteLiteral,
  // CREATE SCHEMA IF NOT EXISTS checks the database's CREATE privilege before it looks for the
  // schema: a transformer given only its schemas (`gmp warehouse setup`) could not run it.
  // Concurrent steps creating the same schema take turns (the loser would fail on a duplicate key).
  createSchema: (schema) =>
    `DO $gmp_schema$ BEGIN IF to_regnamespace(${quoteLiteral(quoteIdent(schema))}) IS NULL THEN ` +
    `PERFORM pg_advisory_xact_lock(hashtext(${quoteLiteral(`gmp:schema:${schema}`)})); ` +
    `IF to_regnamespace(${quoteLiteral(quoteIdent(schema))}) IS NULL THEN CREATE SCHEMA ${quoteIdent(schema)}; END IF; END IF; END $gmp_schema$`,
  createView: (relation, sql) => `CREATE OR REPLACE VIEW ${quoteRelation(relation)} AS\n${sql}`,
  createTable: (relation, sql) => `CREATE TABLE ${quoteRelation(relation)} AS\n${sql}`,
  replaceRelation(kind, relation, sql) {
    const [schema, name] = splitRelation(relation);
    const next = `${quoteIdent(schema)}.${quoteIdent(siblingName(name, 'next'))}`;
    return [
      advisoryLock(relation),
      kind === 'view' ? `CREATE VIEW ${next} AS\n${sql}` : `CREATE TABLE ${next} AS\n${sql}`,
      // Statistics now, so the models built next in this run plan well on it.
      ...(kind === 'table' ? [`ANALYZE ${next}`] : []),
      swapBlock(schema, name),
    ];
  },
  replacePartition(relation, sql, column, range) {
    const rel = quoteRelation(relation);
    const where = slicePredicate(quoteIdent(column), range, quoteLiteral);
    // INSERT is positional: the table was created from this same SELECT.
    return [
      advisoryLock(relation),
      `CREATE TABLE IF NOT EXISTS ${rel} AS SELECT * FROM (\n${sql}\n) AS model WHERE false`,
      `DELETE FROM ${rel} WHERE ${where}`,
      `INSERT INTO ${rel} SELECT * FROM (\n${sql}\n) AS model WHERE ${where}`,
    ];
  },
  mergeOnKey(relation, sql, key) {
    const rel = quoteRelation(relation);
    // The model runs once into a temp table: its SQL usually reads `this`, which the delete changes.
    const staged = quoteIdent(`gmp_merge__${relation.replace(/\W/g, '_')}`.slice(0, MAX_IDENT_BYTES));
    const match = key.map((k) => `${rel}.${quoteIdent(k)} = ${staged}.${quoteIdent(k)}`).join(' AND ');
    return [
      advisoryLock(relation),
      `CREATE TEMP TABLE ${staged} ON COMMIT DROP AS\n${sql}`,
      `DELETE FROM ${rel} USING ${staged} WHERE ${match}`,
      `INSERT INTO ${rel} SELECT * FROM ${staged}`,
    ];
  },
  macros: postgresMacros,
};
