import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StateError, diskFullError, isDiskFull, type GmpError } from '../../core/index.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

type Task = () => unknown;

/**
 * better-sqlite3 blocks the thread while it waits for a lock another connection holds; if that
 * holder is an async transaction in this same process, it can never finish. So every handle on
 * one file shares this queue: in-process work is serialized here, and busy_timeout only ever
 * waits for other processes.
 */
const queues = new Map<string, { tail: Promise<unknown>; users: number }>();

const STATEMENT_CACHE = 256;
let memoryDatabases = 0;

/** Opens `file` (`:memory:` for a private database) as a SqlDriver; transactions are BEGIN IMMEDIATE. */
export function createSqliteDriver(file: string): SqlDriver {
  const db = open(file);
  const key = file === ':memory:' ? `:memory:${++memoryDatabases}` : path.resolve(file);
  const queue = queues.get(key) ?? { tail: Promise.resolve(), users: 0 };
  queue.users++;
  queues.set(key, queue);
  const serialized = <T>(task: () => Promise<T> | T): Promise<T> => {
    const result = queue.tail.then(task as Task) as Promise<T>;
    queue.tail = result.catch(() => undefined);
    return result;
  };

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      // Multi-row inserts make many distinct texts; keep only the recent ones.
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (cause) {
      throw toStateError(cause, file, what);
    }
  };

  // Runs inside a transaction (or inside the queue) already: no queueing here.
  const inside: SqlDriver = {
    dialect: 'sqlite',
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return guard(sql, () => prepare(sql).all(...params) as T[]);
    },
    async execute(sql, params = []) {
      return guard(sql, () => prepare(sql).run(...params).changes);
    },
    transaction: (fn) => fn(inside),
    close: async () => undefined,
  };

  let closed = false;
  return {
    dialect: 'sqlite',
    query: (sql, params) => serialized(() => inside.query(sql, params)),
    execute: (sql, params) => serialized(() => inside.execute(sql, params)),
    transaction: (fn) =>
      serialized(async () => {
        // IMMEDIATE takes the write lock up front, so a read-then-write cannot race another process.
        guard('BEGIN IMMEDIATE', () => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(inside);
          guard('COMMIT', () => db.exec('COMMIT'));
          return result;
        } catch (error) {
          try {
            if (db.inTransaction) db.exec('ROLLBACK');
          } catch {
            // SQLite has rolled back already (or cannot); the error that got us here is the one to report.
          }
          throw error;
        }
      }),
    close: () =>
      serialized(() => {
        if (closed) return;
        closed = true;
        db.close();
        if (--queue.users === 0 && queues.get(key) === queue) queues.delete(key);
      }),
  };
}

function open(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    // busy_timeout first: switching a new file to WAL needs a lock another process may hold.
    db.pragma('busy_timeout = 10000');
    switchToWal(db);
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (cause) {
    db?.close();
    if (file !== ':memory:' && isDiskFull(cause, file)) throw diskFullError(cause, file, { hint: STATE_FULL_HINT });
    throw new StateError(`cannot open the state store ${file}: ${(cause as Error).message}`, {
      cause,
      hint: 'check GMP_STATE_URL and that the folder is writable',
    });
  }
}

/**
 * `journal_mode = WAL`, retried while another process switches the same new file at the same
 * moment: both read it under a shared lock, and SQLite answers the second upgrade SQLITE_BUSY at
 * once, without the busy handler (waiting could deadlock). Once the other one has switched, the
 * pragma finds WAL and changes nothing. Gives up after about the busy timeout (10 s).
 */
function switchToWal(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waitedMs = 0, delayMs = 5; ; waitedMs += delayMs, delayMs = Math.min(delayMs * 2, 200)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || waitedMs >= 10_000) throw error;
      // A synchronous pause (this driver is synchronous): only while two processes open one new file.
      Atomics.wait(pause, 0, 0, delayMs);
    }
  }
}

const STATE_FULL_HINT =
  'free space on that file system (or move the state store: GMP_STATE_URL), then re-run; SQLite rolled the unfinished write back, so the state file is intact';

function toStateError(cause: unknown, file: string, sql: string): GmpError {
  // SQLITE_FULL (or an I/O error the OS gave as ENOSPC) rolls the statement back: nothing is damaged.
  if (file !== ':memory:' && isDiskFull(cause, file)) return diskFullError(cause, file, { hint: STATE_FULL_HINT });
  const code = (cause as { code?: unknown }).code;
  const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  const duplicate = typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
  return new StateError(`state store ${file}: ${(cause as Error).message}`, {
    cause,
    retryable: busy,
    context: { statement: sql.slice(0, 200) },
    hint: busy
      ? 'another gmp process held the state store for more than 10 s; retry, or use a Postgres state store (GMP_STATE_URL=postgres://…) for many concurrent processes'
      : duplicate
        ? 'a record with the same id already exists: run and backfill ids must be unique'
        : 'the state file may be damaged or written by another tool; check GMP_STATE_URL',
  });
}
