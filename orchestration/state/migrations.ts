import { StateError } from '../../core/index.js';
import { dialectSql, lockInTransaction, type DialectSql } from './dialect-sql.js';
import type { SqlDriver } from './sql-driver.js';

type Migration = (t: DialectSql) => readonly string[];

/**
 * Ordered schema migrations; each is applied once, in its own transaction, and recorded in
 * `schema_migrations`. Never edit a released one: SQLite files in the field were created by
 * migration 1 exactly as written (its SQLite text must stay what it was), so add a new one.
 */
const MIGRATIONS: readonly Migration[] = [
  ({ id, text: T }) => [
    `CREATE TABLE runs (
       run_id ${T} PRIMARY KEY, kind ${T} NOT NULL, status ${T} NOT NULL, selection ${T} NOT NULL,
       partitions ${T} NOT NULL, started_at ${T} NOT NULL, ended_at ${T}, error ${T})`,
    `CREATE INDEX runs_started ON runs (started_at)`,
    `CREATE TABLE run_events (
       id ${id}, run_id ${T} NOT NULL, ts ${T} NOT NULL, type ${T} NOT NULL,
       asset ${T}, partition ${T}, message ${T}, data ${T})`,
    `CREATE INDEX run_events_run ON run_events (run_id, id)`,
    `CREATE TABLE materializations (
       id ${id}, run_id ${T} NOT NULL, asset ${T} NOT NULL, partition ${T} NOT NULL,
       status ${T} NOT NULL, started_at ${T} NOT NULL, ended_at ${T} NOT NULL, duration_ms INTEGER NOT NULL,
       rows INTEGER, pages INTEGER, requests INTEGER, metadata ${T}, error ${T})`,
    `CREATE INDEX materializations_asset ON materializations (asset, partition, id)`,
    `CREATE INDEX materializations_run ON materializations (run_id, id)`,
    // '' stands for "unpartitioned": a primary key column cannot portably hold NULL.
    `CREATE TABLE asset_partitions (
       asset ${T} NOT NULL, partition ${T} NOT NULL, status ${T} NOT NULL, run_id ${T} NOT NULL,
       ended_at ${T} NOT NULL, PRIMARY KEY (asset, partition))`,
  ],
  ({ id, text: T, runInsertionOrderDdl }) => [
    `ALTER TABLE runs ADD COLUMN owner ${T}`,
    `ALTER TABLE runs ADD COLUMN heartbeat_at ${T}`,
    // SQLite orders runs of the same instant by rowid; Postgres has none, so it gets a sequence.
    ...runInsertionOrderDdl,
    `CREATE TABLE backfills (
       id ${id}, backfill_id ${T} NOT NULL UNIQUE, selection ${T} NOT NULL, from_key ${T} NOT NULL,
       to_key ${T} NOT NULL, status ${T} NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL,
       options ${T} NOT NULL)`,
    `CREATE INDEX backfills_created ON backfills (created_at, id)`,
    `CREATE TABLE backfill_partitions (
       backfill_id ${T} NOT NULL, asset ${T} NOT NULL, partition ${T} NOT NULL, ordinal INTEGER NOT NULL,
       status ${T} NOT NULL, run_id ${T}, attempts INTEGER NOT NULL DEFAULT 0, updated_at ${T} NOT NULL,
       error ${T}, PRIMARY KEY (backfill_id, asset, partition))`,
    `CREATE INDEX backfill_partitions_ordinal ON backfill_partitions (backfill_id, ordinal)`,
    `CREATE TABLE locks (
       name ${T} PRIMARY KEY, owner ${T} NOT NULL, acquired_at ${T} NOT NULL, expires_at ${T} NOT NULL)`,
    `CREATE INDEX locks_owner ON locks (owner)`,
    `CREATE TABLE request_ledger (
       source ${T} NOT NULL, day ${T} NOT NULL, requests INTEGER NOT NULL, PRIMARY KEY (source, day))`,
    `CREATE TABLE check_results (
       id ${id}, run_id ${T} NOT NULL, asset ${T} NOT NULL, partition ${T} NOT NULL, check_name ${T} NOT NULL,
       status ${T} NOT NULL, severity ${T} NOT NULL, checked_at ${T} NOT NULL, metadata ${T})`,
    `CREATE INDEX check_results_latest ON check_results (asset, check_name, partition, checked_at, id)`,
  ],
  // The ledger is kept per endpoint (`<source>@<ledger>`, see requestLedger). Rows from before
  // could have been spent on any endpoint; they stay charged to the real API, the safe side.
  () => [`UPDATE request_ledger SET source = 'rawg@https://api.rawg.io/api' WHERE source = 'rawg'`],
  // A cancel asked of a run by another process (the web UI, `gmp runs cancel`): its runner notices.
  ({ text: T }) => [`ALTER TABLE runs ADD COLUMN cancel_requested_at ${T}`],
  // Accounts of `gmp serve`: users with a role, browser sessions and API tokens (only hashes of
  // their secrets are stored), and the audit log of every change made through it.
  ({ id, text: T }) => [
    `CREATE TABLE users (
       user_id ${id}, name ${T} NOT NULL UNIQUE, role ${T} NOT NULL, password_hash ${T} NOT NULL,
       created_at ${T} NOT NULL, updated_at ${T} NOT NULL)`,
    `CREATE TABLE sessions (
       token_hash ${T} PRIMARY KEY, user_id INTEGER NOT NULL, created_at ${T} NOT NULL, expires_at ${T} NOT NULL)`,
    `CREATE INDEX sessions_user ON sessions (user_id)`,
    `CREATE TABLE api_tokens (
       token_id ${T} PRIMARY KEY, user_id INTEGER NOT NULL, name ${T} NOT NULL, token_hash ${T} NOT NULL UNIQUE,
       created_at ${T} NOT NULL, expires_at ${T} NOT NULL, revoked_at ${T}, last_used_at ${T})`,
    `CREATE INDEX api_tokens_user ON api_tokens (user_id)`,
    `CREATE TABLE audit_log (
       id ${id}, at ${T} NOT NULL, actor ${T} NOT NULL, action ${T} NOT NULL, target ${T}, detail ${T})`,
    `CREATE INDEX audit_log_at ON audit_log (at, id)`,
  ],
  // Daemons say they are alive (the Overview shows their heartbeat); check history is read by asset.
  ({ text: T }) => [
    `CREATE TABLE daemons (
       owner ${T} PRIMARY KEY, started_at ${T} NOT NULL, heartbeat_at ${T} NOT NULL, stopped_at ${T},
       next_tick ${T}, once INTEGER NOT NULL DEFAULT 0)`,
    `CREATE INDEX check_results_history ON check_results (asset, checked_at, id)`,
    // Favorite games per user name (`local` in local mode); removed with the user.
    `CREATE TABLE favorites (user_name ${T} NOT NULL, game_id INTEGER NOT NULL, created_at ${T} NOT NULL, PRIMARY KEY (user_name, game_id))`,
  ],
  // People: an email (stored lower-cased, so unique case-insensitively; several NULLs are fine on
  // both engines) and a display name per user; the server's switches that admins set (registration,
  // SQL console access), each with who set it and when.
  ({ text: T }) => [
    `ALTER TABLE users ADD COLUMN email ${T}`,
    `ALTER TABLE users ADD COLUMN display_name ${T}`,
    `CREATE UNIQUE INDEX users_email ON users (email)`,
    `CREATE TABLE settings (key ${T} PRIMARY KEY, value ${T} NOT NULL, updated_at ${T} NOT NULL, updated_by ${T} NOT NULL)`,
  ],
  // Event sources of `gmp collect`: one write key each (only its hash is stored), an optional
  // rate limit in events per second, revoked rather than deleted (their events stay attributable).
  ({ text: T }) => [
    `CREATE TABLE event_sources (
       name ${T} PRIMARY KEY, key_hash ${T} NOT NULL UNIQUE, key_prefix ${T} NOT NULL,
       events_per_second INTEGER, created_at ${T} NOT NULL, revoked_at ${T})`,
  ],
  // Machine learning in MLflow's shape: training runs (params, tags and artifact references as
  // JSON), metric points with their steps, and the model registry (versions, aliases and the
  // history of alias moves, each with who and why).
  ({ text: T, id: ID }) => [
    `CREATE TABLE ml_runs (
       run_id ${T} PRIMARY KEY, experiment ${T} NOT NULL, name ${T} NOT NULL, status ${T} NOT NULL,
       start_time BIGINT NOT NULL, end_time BIGINT, params ${T} NOT NULL, tags ${T} NOT NULL,
       artifacts ${T} NOT NULL, error ${T})`,
    `CREATE INDEX ml_runs_by_experiment ON ml_runs (experiment, start_time)`,
    `CREATE TABLE ml_metrics (
       run_id ${T} NOT NULL, key ${T} NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
       timestamp BIGINT NOT NULL, PRIMARY KEY (run_id, key, step))`,
    `CREATE TABLE ml_model_versions (
       model ${T} NOT NULL, version INTEGER NOT NULL, run_id ${T} NOT NULL UNIQUE, created_at ${T} NOT NULL,
       PRIMARY KEY (model, version))`,
    `CREATE TABLE ml_model_aliases (model ${T} NOT NULL, alias ${T} NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (model, alias))`,
    `CREATE TABLE ml_alias_changes (
       id ${ID}, model ${T} NOT NULL, alias ${T} NOT NULL, version INTEGER NOT NULL, at ${T} NOT NULL, by_user ${T} NOT NULL, reason ${T} NOT NULL)`,
    `CREATE INDEX ml_alias_changes_by_model ON ml_alias_changes (model, at)`,
  ],
  // `gmp partitions` reads an asset's keys and statuses in key order (partitionRuns): from this
  // index alone, SQLite reads 2.6 times fewer pages than through the primary key and the rows.
  () => [`CREATE INDEX asset_partitions_status ON asset_partitions (asset, partition, status)`],
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

// Any fixed key: advisory locks are per database, and two-key locks (the ledger's) live apart.
const MIGRATION_LOCK_KEY = 4_711_020_503;

/** Brings the schema up to SCHEMA_VERSION; safe when several processes open a new store at once. */
export async function migrate(driver: SqlDriver): Promise<void> {
  // The common case, an up-to-date store, takes no write lock.
  if ((await currentVersion(driver).catch(() => 0)) === SCHEMA_VERSION) return;
  for (;;) {
    const done = await driver.transaction(async (tx) => {
      await lockInTransaction(tx, MIGRATION_LOCK_KEY);
      await tx.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      const version = await currentVersion(tx);
      if (version >= SCHEMA_VERSION) return true;
      for (const statement of MIGRATIONS[version]!(dialectSql(tx))) await tx.execute(statement);
      await tx.execute(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, [
        version + 1,
        new Date().toISOString(),
      ]);
      return false;
    });
    if (done) return;
  }
}

async function currentVersion(driver: SqlDriver): Promise<number> {
  const [row] = await driver.query<{ v: number | string | null }>(`SELECT MAX(version) AS v FROM schema_migrations`);
  const version = Number(row?.v ?? 0);
  if (version > SCHEMA_VERSION) {
    throw new StateError(`the state store has schema version ${version}, newer than this gmp understands (${SCHEMA_VERSION})`, {
      hint: 'upgrade gmp: a newer version has used this state store',
    });
  }
  return version;
}
