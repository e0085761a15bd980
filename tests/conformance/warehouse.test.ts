import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, vi } from 'vitest';
import { createDuckDbWarehouse, duckDbDialect, type SqlParam, type Warehouse } from '../../warehouse/index.js';
import { createPostgresWarehouse, postgresDialect } from '../../warehouse/postgres/index.js';
import { createSnowflakeWarehouse, type SnowflakeDriver, type StatementOptions } from '../../warehouse/snowflake/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { describeWarehouseConformance, type Gate, type OpenedWarehouse } from './warehouse-conformance.js';
import { describeRecordedWarehouseConformance, type RecordedWarehouse } from './warehouse-recorded-conformance.js';

const run = promisify(execFile);
const SNOWFLAKE_GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../warehouse/snowflake/__golden__/macros.sql');
// Trust auth never asks for it: it is here so the suite can check no error shows it.
const PASSWORD = 'conformance-secret-9f2c';
// Server views are cluster-wide: only this test's database counts.
const LOCKS_HERE = 'database = (SELECT oid FROM pg_database WHERE datname = current_database())';
const SESSIONS_HERE = 'datname = current_database()';
let postgres: PostgresServer | undefined;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgresServer();
});

afterAll(async () => {
  await postgres?.stop();
});

/**
 * Polls a server view (pg_locks, pg_stat_activity) until `check` holds, failing after 30 s: the
 * event is on the server, which sends no notice of it.
 */
async function until(check: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(async () => {
    if (!(await check())) throw new Error('the server does not show it yet');
  }, { timeout: 30_000, interval: 10 });
}

describeWarehouseConformance('duckdb (file)', {
  dialect: duckDbDialect,
  parallelStatements: 1,
  async open(): Promise<OpenedWarehouse> {
    const dir = await mkdtemp(path.join(tmpdir(), 'gmp-wh-duckdb-'));
    const warehouse = await createDuckDbWarehouse({ path: path.join(dir, 'warehouse.duckdb') });
    let fifos = 0;
    return {
      warehouse,
      async longStatement() {
        const fifo = path.join(dir, `started-${++fifos}.fifo`);
        await run('mkfifo', [fifo]);
        return {
          // Minutes of work after DuckDB opens the FIFO, which it does only once the statement runs.
          sql: `SELECT count(*) AS n FROM read_text('${fifo}') AS f, range(1000000000000) AS r(i) WHERE i % 7 = length(f.content)`,
          // Opening the writing end of a FIFO waits for its reader: DuckDB running the statement.
          running: async () => (await open(fifo, 'w')).close(),
        };
      },
      async close() {
        await warehouse.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

describeWarehouseConformance('postgres (a real server)', {
  dialect: postgresDialect,
  parallelStatements: 4,
  concurrentReaders: true,
  roles: true,
  loadsCommittedFiles: true,
  async open(): Promise<OpenedWarehouse> {
    if (postgres === undefined) throw new Error('Postgres is not running');
    const database = `gmp_warehouse_${++databases}`;
    const adminUrl = await postgres.createDatabase(database);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const closing: (() => Promise<void>)[] = [() => admin.end()];
    // gmp runs as an ordinary role (CREATE on its database), never a superuser: privileges are part of the contract.
    const login = async (name: string): Promise<{ role: string; url: string }> => {
      const role = `${database}_${name}`;
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`);
      await admin.query(`GRANT CREATE ON DATABASE ${database} TO ${role}`);
      const url = new URL(adminUrl);
      url.username = role;
      url.password = PASSWORD;
      return { role, url: url.toString() };
    };
    const connect = (url: string): Warehouse => {
      const w = createPostgresWarehouse({ url });
      closing.push(() => w.close());
      return w;
    };
    const gmp = await login('gmp');
    const active = async (sql: string, params: unknown[]): Promise<number> => Number((await admin.query<{ n: string }>(sql, params)).rows[0]!.n);
    let keys = 0;
    return {
      warehouse: connect(gmp.url),
      reader: connect(gmp.url),
      secret: PASSWORD,
      missingTableSqlstate: '42P01',
      async gate(): Promise<Gate> {
        const key = ++keys;
        const holder = new pg.Client({ connectionString: adminUrl });
        await holder.connect();
        await holder.query('SELECT pg_advisory_lock($1)', [key]);
        closing.push(() => holder.end().catch(() => undefined));
        return {
          // Volatile and without columns: evaluated once per statement, waiting while the holder has the lock.
          sql: `pg_advisory_xact_lock_shared(${key}) IS NOT NULL`,
          waiting: () => until(async () => (await active(`SELECT count(*) AS n FROM pg_locks WHERE ${LOCKS_HERE} AND locktype = 'advisory' AND objid = $1 AND NOT granted`, [key])) > 0),
          open: async () => void (await holder.query('SELECT pg_advisory_unlock($1)', [key])),
        };
      },
      waitingForLock: (marker, sessions) =>
        until(async () => (await active(`SELECT count(*) AS n FROM pg_stat_activity WHERE ${SESSIONS_HERE} AND wait_event_type = 'Lock' AND query LIKE $1`, [`%${marker}%`])) === sessions),
      async otherUser(name) {
        const user = await login(name);
        return { role: user.role, warehouse: connect(user.url) };
      },
      async longStatement() {
        const marker = `gmp_long_${++keys}`;
        return {
          // Minutes of real work (a recursive count to 10^10, streamed row by row) until canceled.
          sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) AS ${marker} FROM n`,
          running: () => until(async () => (await active(`SELECT count(*) AS n FROM pg_stat_activity WHERE ${SESSIONS_HERE} AND state = 'active' AND query LIKE $1`, [`%${marker}%`])) > 0),
        };
      },
      async close() {
        for (const close of closing.reverse()) await close();
      },
    };
  },
});

/** A Snowflake driver that records what it is sent and answers every statement with no rows. */
function recordingSnowflake(): RecordedWarehouse {
  const log: string[] = [];
  const calls: RecordedWarehouse['calls'] = [];
  let failing: RegExp | undefined;
  const runStatement = async (sql: string, options?: StatementOptions) => {
    log.push(sql);
    calls.push({ sql, binds: options?.binds as readonly SqlParam[] | undefined, signal: options?.signal });
    if (failing?.test(sql)) throw new Error(`the fake refuses: ${sql.split('\n')[0]}`);
    return [];
  };
  const driver: SnowflakeDriver = {
    run: runStatement,
    withSession: (work) => {
      log.push('<session>');
      return work({ run: runStatement }).finally(() => log.push('</session>'));
    },
    close: async () => undefined,
  };
  const credentials = { user: 'u', type: 'password' as const, password: PASSWORD };
  const warehouse = createSnowflakeWarehouse({ account: 'xy12345', database: 'DB', credentials, statementTimeoutS: 60, driver });
  return { warehouse, log, calls, failOn: (pattern) => void (failing = pattern) };
}

describeRecordedWarehouseConformance('snowflake (fake driver)', {
  open: recordingSnowflake,
  identifiers: { dim_games: 'dim_games', order: '"ORDER"', MixedCase: 'MixedCase', 'say "hi"': '"say ""hi"""', "it's": `"it's"` },
  literals: { "it's": "'it''s'", 'back\\slash': "'back\\\\slash'", 'ünïcödé ☃ 日本語': "'ünïcödé ☃ 日本語'" },
  macrosGolden: SNOWFLAKE_GOLDEN,
});

