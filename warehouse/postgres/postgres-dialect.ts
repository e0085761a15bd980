import { createHash } from 'node:crypto';
import type { WarehouseDialect } from '../warehouse.js';
import { slicePredicate } from '../slice-predicate.js';
import { postgresMacros } from './postgres-macros.js';
import { quoteIdent, quoteLiteral, quoteRelation, splitRelation } from './postgres-identifiers.js';

const MAX_IDENT_BYTES = 63;
/** How long the swap waits for readers' locks per attempt: the longest a reader can be held up. */
export const SWAP_LOCK_TIMEOUT_MS = 100;
/**
 * Attempts that never queue (LOCK … NOWAIT, every 5 to 100 ms: about 9 s): readers are not held
 * up at all while a long one finishes. Only then does the swap queue for the lock, at most
 * SWAP_LOCK_TIMEOUT_MS per attempt, so a stream of overlapping readers cannot starve it.
 */
export const SWAP_NOWAIT_ATTEMPTS = 100;
/** Attempts before the swap gives up (queued ones with back-off up to 1 s: about 10 minutes in all). */
export const SWAP_ATTEMPTS = 700;

/** `dim_games` + `next` → `dim_games__gmp_next`, shortened with a hash when Postgres would truncate it. */
export function siblingName(name: string, role: 'next' | 'old'): string {
  const suffix = `__gmp_${role}`;
  if (Buffer.byteLength(name) + suffix.length <= MAX_IDENT_BYTES) return `${name}${suffix}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENT_BYTES - suffix.length - 9)}_${hash}${suffix}`;
}

/** Drops what a failed swap left of `next` (a table or a view). */
const dropLeftover = (next: string): string =>
  `DO $gmp_leftover$ DECLARE leftover regclass := to_regclass(${quoteLiteral(next)}); BEGIN ` +
  `IF leftover IS NOT NULL THEN EXECUTE format('DROP %s %s', CASE (SELECT relkind FROM pg_class WHERE oid = leftover) WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, leftover); END IF; END $gmp_leftover$`;

/** The advisory lock key of a relation's rebuilds (one at a time, whatever the process). */
const lockKey = (relation: string): string => `hashtext(${quoteLiteral(`gmp:${relation}`)})`;
const advisoryLock = (relation: string): string => `SELECT pg_advisory_xact_lock(${lockKey(relation)})`;

/**
 * The swap of `schema.next` in for `schema.name`, in the caller's transaction, as one DO block:
 * lock the live relation — first without ever queueing (NOWAIT, retried while readers hold it),
 * then with a short lock_timeout (readers queue behind the request at most that long) and
 * back-off — then, holding it, carry the live relation's grants over, rename live → old and next →
 * live, point every view that depended on the old relation at the new one (CREATE OR REPLACE from
 * its definition, so BI views never vanish:
 * no DROP … CASCADE), and drop the old one. Nothing is visible to readers before COMMIT.
 *
 * Views this role cannot re-create (another user's, in a schema it cannot create in) would fail
 * that: then the live relation stays and takes the new rows (a table: DELETE + INSERT, which
 * readers never wait for; a view: CREATE OR REPLACE with the new query), keeping those views and
 * every grant. When its columns changed, it fails naming those views and changes nothing.
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
  next_kind "char";
  foreign_views text;
  same_columns boolean;
  saved_timeout text := current_setting('lock_timeout');
  view_defs text[];
  grant_stmts text[];
  stmt text;
  attempt integer := 0;
BEGIN
  IF next_rel IS NULL THEN
    RAISE EXCEPTION 'the new version of % is gone: another build of it replaced this one', ${live}
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'run the model again';
  END IF;
  IF live_rel IS NULL THEN
    EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, ${liveName});
    RETURN;
  END IF;
  SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) INTO foreign_views
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v
    JOIN pg_class c ON c.oid = v.oid
    WHERE NOT (pg_has_role(c.relowner, 'USAGE') AND has_schema_privilege(c.relnamespace, 'CREATE'));
  IF foreign_views IS NOT NULL THEN
    SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
    SELECT relkind INTO next_kind FROM pg_class WHERE oid = next_rel;
    SELECT (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = live_rel AND attnum > 0 AND NOT attisdropped)
           IS NOT DISTINCT FROM
           (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = next_rel AND attnum > 0 AND NOT attisdropped)
      INTO same_columns;
    IF same_columns AND old_kind = 'r' AND next_kind = 'r' THEN
      EXECUTE format('DELETE FROM %s', live_rel);
      EXECUTE format('INSERT INTO %s SELECT * FROM %s', live_rel, next_rel);
      EXECUTE format('DROP TABLE %s', next_rel);
      EXECUTE format('ANALYZE %s', live_rel);
      RETURN;
    ELSIF same_columns AND old_kind = 'v' AND next_kind = 'v' THEN
      EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', live_rel, pg_get_viewdef(next_rel));
      EXECUTE format('DROP VIEW %s', next_rel);
      RETURN;
    END IF;
    RAISE EXCEPTION 'the new % of % has other columns, and views of other users depend on it: %', CASE next_kind WHEN 'v' THEN 'view' ELSE 'table' END, live_rel, foreign_views
      USING ERRCODE = 'dependent_objects_still_exist', HINT = 'nothing was changed; ask the owners of those views to drop them (or re-create them after this build), then run the model again';
  END IF;
  PERFORM set_config('lock_timeout', '${SWAP_LOCK_TIMEOUT_MS}ms', true);
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE%s', live_rel, CASE WHEN attempt < ${SWAP_NOWAIT_ATTEMPTS} THEN ' NOWAIT' ELSE '' END);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= ${SWAP_ATTEMPTS} THEN
        RAISE EXCEPTION 'readers held % for too long: the new version was not swapped in', live_rel
          USING ERRCODE = 'lock_not_available', HINT = 'find the long query in pg_stat_activity, then run the model again';
      END IF;
      PERFORM pg_sleep(CASE WHEN attempt < ${SWAP_NOWAIT_ATTEMPTS} THEN least(0.005 * attempt, 0.1) ELSE least(0.02 * (attempt - ${SWAP_NOWAIT_ATTEMPTS}), 1.0) END);
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

/**
 * Inserts every row of the temp table `staged` into `target` column by column by name: Postgres
 * has no INSERT … BY NAME, and a model's columns may come in another order than the table's
 * (positional, two columns of one type would silently swap their values).
 */
function insertByName(target: string, staged: string): string {
  return `DO $gmp_insert$
DECLARE
  columns text;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(staged)}) AND attnum > 0 AND NOT attisdropped;
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', ${quoteLiteral(target)}, columns, columns, ${quoteLiteral(staged)});
END
$gmp_insert$`;
}

/** A temp table for one statement list, dropped at commit: `gmp_<purpose>__marts_dim_games`. */
const stagedName = (purpose: string, relation: string): string => quoteIdent(`gmp_${purpose}__${relation.replace(/\W/g, '_')}`.slice(0, MAX_IDENT_BYTES));

/** PostgreSQL SQL generation. Pure: every function returns text. */
export const postgresDialect: WarehouseDialect = {
  name: 'postgres',
  quoteIdent,
  quoteLiteral,
  // CREATE SCHEMA IF NOT EXISTS checks the database's CREATE privilege before it looks for the
  // schema: a transformer given only its schemas (`gmp warehouse setup`) could not run it.
  // Existence first: CREATE SCHEMA checks the database's CREATE privilege before it looks, and a
  // transformer given only its schemas (`gmp warehouse setup`) has none. A concurrent step creating
  // the same schema makes this one wait for it, then carry on.
  createSchema: (schema) =>
    `DO $gmp_schema$ BEGIN IF to_regnamespace(${quoteLiteral(quoteIdent(schema))}) IS NULL THEN ` +
    `BEGIN CREATE SCHEMA ${quoteIdent(schema)}; EXCEPTION WHEN duplicate_schema OR unique_violation THEN NULL; END; ` +
    `END IF; END $gmp_schema$`,
  createView: (relation, sql) => `CREATE OR REPLACE VIEW ${quoteRelation(relation)} AS\n${sql}`,
  createTable: (relation, sql) => `CREATE TABLE ${quoteRelation(relation)} AS\n${sql}`,
  replaceRelation(kind, relation, sql) {
    const [schema, name] = splitRelation(relation);
    const next = `${quoteIdent(schema)}.${quoteIdent(siblingName(name, 'next'))}`;
    if (kind === 'view') return [advisoryLock(relation), dropLeftover(next), `CREATE VIEW ${next} AS\n${sql}`, swapBlock(schema, name)];
    // A table's build commits on its own before the swap: committing flushes the WAL the build
    // wrote (tens to hundreds of ms on a large table), which must not happen while the swap holds
    // the live table's lock. A swap that fails leaves only the sibling, dropped by the next build.
    // The relation's lock is the session's from the build to the swap's commit: another build of it
    // (a run side by side) waits for both, never dropping this build's sibling between them. The
    // warehouse releases it if a statement fails (ROLLBACK does not release a session's lock).
    return [
      `SELECT pg_advisory_lock(${lockKey(relation)})`,
      dropLeftover(next),
      `CREATE TABLE ${next} AS\n${sql}`,
      // Statistics now, so the models built next in this run plan well on it.
      `ANALYZE ${next}`,
      'COMMIT',
      'BEGIN',
      swapBlock(schema, name),
      'COMMIT',
      `SELECT pg_advisory_unlock(${lockKey(relation)})`,
      'BEGIN',
    ];
  },
  replacePartition(relation, sql, column, range) {
    const rel = quoteRelation(relation);
    const where = slicePredicate(quoteIdent(column), range, quoteLiteral);
    const staged = stagedName('partition', relation);
    return [
      advisoryLock(relation),
      `CREATE TABLE IF NOT EXISTS ${rel} AS SELECT * FROM (\n${sql}\n) AS model WHERE false`,
      `DELETE FROM ${rel} WHERE ${where}`,
      `CREATE TEMP TABLE ${staged} ON COMMIT DROP AS SELECT * FROM (\n${sql}\n) AS model WHERE ${where}`,
      insertByName(rel, staged),
    ];
  },
  mergeOnKey(relation, sql, key) {
    const rel = quoteRelation(relation);
    // The model runs once into a temp table: its SQL usually reads `this`, which the delete changes.
    const staged = stagedName('merge', relation);
    const match = key.map((k) => `${rel}.${quoteIdent(k)} = ${staged}.${quoteIdent(k)}`).join(' AND ');
    return [
      advisoryLock(relation),
      `CREATE TEMP TABLE ${staged} ON COMMIT DROP AS\n${sql}`,
      `DELETE FROM ${rel} USING ${staged} WHERE ${match}`,
      insertByName(rel, staged),
    ];
  },
  macros: postgresMacros,
};
