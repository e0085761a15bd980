import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StateError, redactText, redactValue } from '../../core/index.js';
import type {
  MaterializationRecord,
  RunEventRecord,
  RunRecord,
  RunStatus,
  StateStore,
  StepStatus,
} from './state-store.js';

/** Ordered schema migrations; a version is applied once and recorded in `schema_migrations`. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
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
     ended_at TEXT NOT NULL, PRIMARY KEY (asset, partition));`,
];

// SQLite keys cannot hold NULL in a primary key portably; '' stands for "unpartitioned".
const NO_PARTITION = '';

/** Opens (creating and migrating) the SQLite state store at `file` (`:memory:` for tests). */
export function createSqliteStateStore(file: string): StateStore {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (cause) {
    throw new StateError(`cannot open the state store ${file}: ${(cause as Error).message}`, {
      cause,
      hint: 'check GMP_STATE_URL and that the folder is writable',
    });
  }
  const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(redactValue(v)));
  const text = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : redactText(v));
  const parse = (v: unknown): Record<string, unknown> | null => (typeof v === 'string' ? JSON.parse(v) : null);
  const toRun = (r: Record<string, unknown>): RunRecord => ({
    runId: String(r.run_id),
    kind: String(r.kind),
    status: r.status as RunStatus,
    selection: String(r.selection),
    partitions: String(r.partitions),
    startedAt: String(r.started_at),
    endedAt: (r.ended_at as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  });
  const toMaterialization = (r: Record<string, unknown>): MaterializationRecord => ({
    runId: String(r.run_id),
    asset: String(r.asset),
    partition: r.partition === NO_PARTITION ? null : String(r.partition),
    status: r.status as StepStatus,
    startedAt: String(r.started_at),
    endedAt: String(r.ended_at),
    durationMs: Number(r.duration_ms),
    rows: (r.rows as number | null) ?? null,
    pages: (r.pages as number | null) ?? null,
    requests: (r.requests as number | null) ?? null,
    metadata: parse(r.metadata),
    error: (r.error as string | null) ?? null,
  });

  const insertMaterialization = db.prepare(
    `INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms, rows, pages, requests, metadata, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertPartition = db.prepare(
    `INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (asset, partition) DO UPDATE SET status = excluded.status, run_id = excluded.run_id, ended_at = excluded.ended_at`,
  );
  const recordTx = db.transaction((m: MaterializationRecord) => {
    const partition = m.partition ?? NO_PARTITION;
    insertMaterialization.run(
      m.runId, m.asset, partition, m.status, m.startedAt, m.endedAt, Math.round(m.durationMs),
      m.rows, m.pages, m.requests, json(m.metadata), text(m.error),
    );
    // A skipped or canceled step says nothing new about the partition's data.
    if (m.status === 'succeeded' || m.status === 'failed') upsertPartition.run(m.asset, partition, m.status, m.runId, m.endedAt);
  });

  return {
    description: `sqlite://${file}`,
    async createRun(run) {
      db.prepare(
        `INSERT INTO runs (run_id, kind, status, selection, partitions, started_at) VALUES (?, ?, 'running', ?, ?, ?)`,
      ).run(run.runId, run.kind, text(run.selection), run.partitions, run.startedAt);
    },
    async finishRun(runId, status, endedAt, error = null) {
      db.prepare(`UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE run_id = ?`).run(status, endedAt, text(error), runId);
    },
    async appendEvent(e) {
      db.prepare(
        `INSERT INTO run_events (run_id, ts, type, asset, partition, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(e.runId, e.ts, e.type, e.asset, e.partition, text(e.message), json(e.data));
    },
    async recordMaterialization(m) {
      recordTx(m);
    },
    async getRun(runId) {
      const row = db.prepare(`SELECT * FROM runs WHERE run_id = ?`).get(runId) as Record<string, unknown> | undefined;
      return row ? toRun(row) : undefined;
    },
    async listRuns(options = {}) {
      const rows = db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?`).all(options.limit ?? 20);
      return (rows as Record<string, unknown>[]).map(toRun);
    },
    async listEvents(runId) {
      const rows = db.prepare(`SELECT * FROM run_events WHERE run_id = ? ORDER BY id`).all(runId) as Record<string, unknown>[];
      return rows.map((r) => ({
        id: Number(r.id),
        runId: String(r.run_id),
        ts: String(r.ts),
        type: r.type as RunEventRecord['type'],
        asset: (r.asset as string | null) ?? null,
        partition: (r.partition as string | null) ?? null,
        message: (r.message as string | null) ?? null,
        data: parse(r.data),
      }));
    },
    async listMaterializations(options = {}) {
      const where: string[] = [];
      const args: string[] = [];
      if (options.runId !== undefined) {
        where.push('run_id = ?');
        args.push(options.runId);
      }
      if (options.asset !== undefined) {
        where.push('asset = ?');
        args.push(options.asset);
      }
      const sql = `SELECT * FROM materializations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return (db.prepare(sql).all(...args) as Record<string, unknown>[]).map(toMaterialization);
    },
    async latestByPartition(asset) {
      const rows = db
        .prepare(`SELECT partition, status, run_id, ended_at FROM asset_partitions WHERE asset = ? ORDER BY partition`)
        .all(asset) as Record<string, unknown>[];
      return rows.map((r) => ({
        partition: r.partition === NO_PARTITION ? null : String(r.partition),
        status: r.status as StepStatus,
        runId: String(r.run_id),
        endedAt: String(r.ended_at),
      }));
    },
    async close() {
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const row = db.prepare(`SELECT MAX(version) AS v FROM schema_migrations`).get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(`state store schema version ${current} is newer than this gmp (${MIGRATIONS.length}); upgrade gmp`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`).run(version, new Date().toISOString());
    })();
  }
}
