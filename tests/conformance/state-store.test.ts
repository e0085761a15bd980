import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  createSqliteDriver,
  createSqliteStateStore,
  createStateStore,
} from '../../orchestration/index.js';
import { createPostgresDriver } from '../../orchestration/state/postgres-driver.js';
import { createPostgresStateStore } from '../../orchestration/state/postgres-state-store.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { describeStateStoreConformance } from './state-store-conformance.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'state-store-worker.ts');
const tempDirs: string[] = [];
let postgres: PostgresServer | undefined;
let databases = 0;

const tempFile = async (name: string) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gmp-state-'));
  tempDirs.push(dir);
  return path.join(dir, name);
};

beforeAll(async () => {
  postgres = await startPostgresServer();
});

afterAll(async () => {
  await postgres?.stop();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeStateStoreConformance('sqlite (file)', async () => {
  // A folder that does not exist yet: opening must create it.
  const file = await tempFile(path.join('nested', 'state.sqlite'));
  return { open: () => createStateStore({ type: 'sqlite', path: file }), driver: () => createSqliteDriver(file) };
});

describeStateStoreConformance('postgres', async () => {
  if (postgres === undefined) throw new Error('Postgres is not running');
  // Its own database per test, so suites and tests never see each other's rows.
  const url = await postgres.createDatabase(`gmp_conformance_${++databases}`);
  return { open: () => createStateStore({ type: 'postgres', url }), driver: () => createPostgresDriver(url) };
});

// The first schema exactly as the first release wrote it: files in the field look like this.
const RELEASE_1_SCHEMA = `CREATE TABLE runs (
     run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, selection TEXT NOT NULL,
     partitions TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, error TEXT);
   CREATE INDEX runs_started ON runs (started_at);
   CREATE TABLE run_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, ts TEXT NOT NULL, type TEXT NOT NULL,
     asset TEXT, partition TEXT, message TEXT, data TEXT);
   CREATE INDEX run_events_run ON run_events (run_id, id);
   CREATE TABLE materializations (
     id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, asset TEXT NOT NULL, partition TEXT NOT NULL,
     status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT NOT NULL, duration_ms INTEGER NOT NULL,
     rows INTEGER, pages INTEGER, requests INTEGER, metadata TEXT, error TEXT);
   CREATE INDEX materializations_asset ON materializations (asset, partition, id);
   CREATE INDEX materializations_run ON materializations (run_id, id);
   CREATE TABLE asset_partitions (
     asset TEXT NOT NULL, partition TEXT NOT NULL, status TEXT NOT NULL, run_id TEXT NOT NULL,
     ended_at TEXT NOT NULL, PRIMARY KEY (asset, partition));`;

/** Tables with their columns and indexes, ignoring how the CREATE statements were spelled. */
function schemaOf(db: Database.Database): unknown {
  const objects = db.prepare(`SELECT type, name, tbl_name AS tableName FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { type: string; name: string }[];
  return objects.map((o) => ({
    ...o,
    columns: o.type === 'table' ? db.pragma(`table_info(${o.name})`) : db.pragma(`index_info(${o.name})`),
  }));
}

describe('SQLite state store specifics', () => {
  it('upgrades a file written by the first release and keeps its rows', async () => {
    const file = await tempFile('old.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    old.exec(RELEASE_1_SCHEMA);
    old.prepare(`INSERT INTO schema_migrations VALUES (1, '2024-01-01T00:00:00.000Z')`).run();
    old.prepare(`INSERT INTO runs (run_id, kind, status, selection, partitions, started_at, ended_at) VALUES ('old', 'materialize', 'succeeded', '*', '1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z')`).run();
    old.prepare(`INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms) VALUES ('old', 'rawg/genres', '', 'succeeded', 'a', 'b', 5)`).run();
    old.prepare(`INSERT INTO asset_partitions VALUES ('rawg/genres', '', 'succeeded', 'old', 'b')`).run();
    old.close();

    const store = await createStateStore({ type: 'sqlite', path: file });
    expect(await store.getRun('old')).toMatchObject({ status: 'succeeded', owner: null, heartbeatAt: null });
    expect(await store.latestByPartition('rawg/genres')).toEqual([{ partition: null, status: 'succeeded', runId: 'old', endedAt: 'b' }]);
    await store.createRun({ runId: 'new', kind: 'k', selection: '*', partitions: '', startedAt: '2024-02-01T00:00:00.000Z', owner: 'h:1' });
    expect((await store.listRuns()).map((r) => r.runId)).toEqual(['new', 'old']);
    expect(await store.tryAcquireLock('l', 'me', 1000, '2024-02-01T00:00:00.000Z')).toBe(true);
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    // The upgraded file has exactly the schema of a file created by this release.
    const freshFile = await tempFile('fresh.sqlite');
    await (await createStateStore({ type: 'sqlite', path: freshFile })).close();
    const fresh = new Database(freshFile, { readonly: true });
    expect(schemaOf(check)).toEqual(schemaOf(fresh));
    fresh.close();
    check.close();
  });

  it('charges the ledger rows of the single-ledger releases to the real API (the safe side) on upgrade', async () => {
    const file = await tempFile('v2.sqlite');
    await (await createStateStore({ type: 'sqlite', path: file })).close();
    // Migration 3 changed no table: a version-2 file is this schema without its row and the tables,
    // column and index of the later migrations, and has 'rawg' rows.
    const v2 = new Database(file);
    v2.prepare(`DELETE FROM schema_migrations WHERE version >= 3`).run();
    for (const table of ['ml_alias_changes', 'ml_model_aliases', 'ml_model_versions', 'ml_metrics', 'ml_runs', 'event_sources', 'settings', 'favorites', 'daemons', 'audit_log', 'api_tokens', 'sessions', 'users']) v2.prepare(`DROP TABLE ${table}`).run();
    v2.prepare(`DROP INDEX check_results_history`).run();
    v2.prepare(`DROP INDEX asset_partitions_status`).run();
    v2.prepare(`ALTER TABLE runs DROP COLUMN cancel_requested_at`).run();
    v2.prepare(`INSERT INTO request_ledger VALUES ('rawg', '2024-05-01', 1618)`).run();
    v2.close();
    const store = await createStateStore({ type: 'sqlite', path: file });
    expect(await store.listRequestUsage('2024-05-02T00:00:00.000Z')).toEqual([{ source: 'rawg@https://api.rawg.io/api', day: 0, month: 1618 }]);
    await store.close();
  });

  it('is usable at once from the synchronous :memory: factory', async () => {
    const store = createSqliteStateStore(':memory:');
    await store.createRun({ runId: 'm', kind: 'k', selection: '*', partitions: '', startedAt: '2024-01-01T00:00:00.000Z' });
    expect((await store.getRun('m'))?.runId).toBe('m');
    expect(store.description).toBe('sqlite://:memory:');
    await store.close();
  });

  it('stays atomic across separate processes on one file', async () => {
    // A new file: the first three processes also race to create and migrate it.
    const file = await tempFile('shared.sqlite');
    /** Three workers that start their statements together: each says it is ready, then all are told to go. */
    const raceOn = async (on: string, mode: string): Promise<number[][]> => {
      const workers = [1, 2, 3].map((id) => {
        const child = spawn(process.execPath, ['--import', 'tsx', WORKER, on, mode, '30', String(id)], {
          cwd: path.resolve(path.dirname(WORKER), '..', '..'),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        const ready = new Promise<void>((resolve) =>
          child.stdout.on('data', (d: Buffer) => {
            stdout += d.toString();
            if (stdout.startsWith('ready\n')) resolve();
          }),
        );
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const closed = once(child, 'close').then(([code]) => {
          if (code !== 0) throw new Error(`worker ${id} exited with ${String(code)}: ${stderr}`);
          return (JSON.parse(stdout.slice('ready\n'.length)) as { won: number[] }).won;
        });
        return { child, ready, closed };
      });
      // A worker that dies before it is ready fails the race instead of stalling it.
      await Promise.race([Promise.all(workers.map((w) => w.ready)), ...workers.map((w) => w.closed)]);
      // `open` opens 30 new files, each at an instant every worker spins to (20 ms apart).
      const at = Date.now() + 100;
      const go = mode === 'open' ? Array.from({ length: 30 }, (_, k) => at + 20 * k).join('\n') : 'go';
      for (const w of workers) w.child.stdin.end(`${go}\n`);
      return Promise.all(workers.map((w) => w.closed));
    };
    const race = (mode: string): Promise<number[][]> => raceOn(file, mode);
    // Opening one new file at the same moment: each switches it to WAL, and SQLite answers all but
    // the first "database is locked" at once (it skips the busy handler to avoid a deadlock).
    expect(await raceOn(await tempFile('opened-together.sqlite'), 'open')).toEqual([[], [], []]);
    const charges = await race('charge');
    expect(charges.flat()).toHaveLength(20);
    const locks = await race('lock');
    // Each of the 30 names went to exactly one process.
    expect(locks.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const store = await createStateStore({ type: 'sqlite', path: file });
    expect(await store.requestUsage('rawg', '2024-05-01T00:00:00.000Z')).toEqual({ day: 20, month: 20 });
    expect(await store.listLocks('2024-05-01T00:00:00.000Z')).toHaveLength(30);
    await store.close();
  });
});

describe('Postgres state store specifics', () => {
  it('never shows the password of its URL', async () => {
    const url = await postgres!.createDatabase(`gmp_secret_${++databases}`);
    // Trust authentication ignores the password, so the URL still connects.
    const withPassword = url.replace('postgres@', 'postgres:pa55-w0rd-xyz@');
    const store = await createPostgresStateStore(withPassword);
    expect(store.description).not.toContain('pa55-w0rd-xyz');
    expect(store.description).toContain('***');
    await store.close();
  });

  it('reports an unreachable server as a StateError without the password', async () => {
    const error = await createPostgresStateStore('postgres://gmp:pa55-w0rd-xyz@127.0.0.1:1/state').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STATE', retryable: true, hint: expect.stringMatching(/GMP_STATE_URL/) });
    expect((error as Error).message).toContain('postgres://gmp:***@127.0.0.1:1/state');
    expect(JSON.stringify(error)).not.toContain('pa55-w0rd-xyz');
  });
});
