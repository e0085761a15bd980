import { createRequire } from 'node:module';
import type pg from 'pg';
import type CursorClass from 'pg-cursor';
import { CanceledError, numberPlaceholders, postgresTarget } from '../../core/index.js';
import type { Row, SqlParam } from '../warehouse.js';
import { toWarehouseError, type StatementContext } from './postgres-errors.js';

// pg (and through it undici) costs tens of milliseconds to load: loaded when a driver is made, so
// commands that only render SQL (`gmp compile`) never load it.
let loaded: { pg: typeof pg; Cursor: typeof CursorClass } | undefined;
function pgModules(): { pg: typeof pg; Cursor: typeof CursorClass } {
  const require = createRequire(import.meta.url);
  loaded ??= { pg: require('pg') as typeof pg, Cursor: require('pg-cursor') as typeof CursorClass };
  return loaded;
}

const MAX_CONNECTIONS = 4;
const CHUNK_ROWS = 2_000;
// Type OIDs whose text gmp keeps as text (as the DuckDB warehouse returns them) or reads as numbers.
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184, json: 114, jsonb: 3802 } as const;

export interface PostgresDriverOptions {
  url: string;
  /** Every transaction read-only (`default_transaction_read_only`), enforced by the server. */
  readOnly?: boolean;
  /** The session's statement_timeout, for readers. */
  statementTimeoutS?: number;
}

export interface PostgresSession {
  query(sql: string, params?: readonly SqlParam[]): Promise<pg.QueryResult>;
  /** The backend's pid, for pg_cancel_backend. */
  readonly pid: number | undefined;
  /** The raw client, for COPY streams. */
  readonly client: pg.PoolClient;
}

export interface PostgresDriver {
  readonly where: string;
  readonly context: Omit<StatementContext, 'sql' | 'params'>;
  query(sql: string, params?: readonly SqlParam[], signal?: AbortSignal): Promise<{ columns: string[]; rows: Row[] }>;
  /** One connection for several statements (a transaction, a COPY); canceled statements are canceled on the server. */
  withSession<T>(work: (session: PostgresSession) => Promise<T>, signal?: AbortSignal): Promise<T>;
  eachChunk(sql: string, params: readonly SqlParam[] | undefined, signal: AbortSignal | undefined, onChunk: (columns: readonly string[], rows: readonly (readonly unknown[])[]) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Values as the DuckDB warehouse gives them: integers and decimals as numbers when exact, dates and JSON as text. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === OID.int8 || oid === OID.numeric) return (text: string) => toNumber(text);
    if (oid === OID.date || oid === OID.timestamp || oid === OID.timestamptz || oid === OID.json || oid === OID.jsonb) return (text: string) => text;
    return pgModules().pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? n : text;
}

/**
 * A small pool on `url`. Sessions run in UTC (timestamps without a zone are UTC, as on DuckDB);
 * an aborted signal cancels the running statement on the server (pg_cancel_backend); every error
 * is a WarehouseError naming the server without its password, with SQLSTATE, SQL and parameters.
 */
export function createPostgresDriver(options: PostgresDriverOptions): PostgresDriver {
  const { pg, Cursor } = pgModules();
  const { where, user, database } = postgresTarget(options.url);
  const context = { where, user, database };
  const settings = ['-c TimeZone=UTC', ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []), ...(options.statementTimeoutS ? [`-c statement_timeout=${options.statementTimeoutS * 1000}`] : [])];
  const connectionString = withLibpqSslModes(options.url);
  const pool = new pg.Pool({
    connectionString,
    max: MAX_CONNECTIONS,
    application_name: 'gmp',
    connectionTimeoutMillis: 10_000,
    options: settings.join(' '),
    types,
    // A CLI that forgets close() must still exit.
    allowExitOnIdle: true,
  });
  // An idle client dying (server restart) is dropped by the pool; the next statement reports it.
  pool.on('error', () => undefined);

  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (cause) {
      throw toWarehouseError(cause, context);
    }
  };

  const cancel = async (pid: number | undefined): Promise<void> => {
    if (pid === undefined) return;
    // Another connection asks the server to cancel: the busy one cannot, and one from the pool
    // would wait for a free connection, which never comes while every one runs a long statement.
    const client = new pg.Client({ connectionString, application_name: 'gmp', connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // The statement then runs to its end; the caller still sees its signal aborted.
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const withSession = async <T>(work: (session: PostgresSession) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (signal?.aborted) throw new CanceledError('warehouse statement canceled');
    const client = await connect();
    const pid = (client as unknown as { processID?: number }).processID;
    const onAbort = (): void => void cancel(pid);
    signal?.addEventListener('abort', onAbort, { once: true });
    let broken: Error | undefined;
    try {
      return await work({
        pid,
        client,
        async query(sql, params) {
          if (signal?.aborted) throw new CanceledError('warehouse statement canceled');
          try {
            const text = params && params.length > 0 ? numberPlaceholders(sql) : sql;
            // Readers' statements go through the extended protocol, which takes one statement only.
            return await client.query({ text, ...(params ? { values: [...params] } : {}), ...(options.readOnly ? { queryMode: 'extended' as const } : {}) });
          } catch (cause) {
            if (isConnectionLoss(cause)) broken = cause as Error;
            throw toWarehouseError(cause, { ...context, sql, ...(params ? { params } : {}) }, signal);
          }
        },
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A canceled session may be inside a failed transaction (its ROLLBACK refused once the signal
      // aborted): closing it ends that on the server, so the pool never hands it out again.
      client.release(broken ?? (signal?.aborted ? new CanceledError('warehouse session canceled') : undefined));
    }
  };

  return {
    where,
    context,
    async query(sql, params, signal) {
      const result = await withSession((s) => (options.readOnly ? readOnlyTransaction(s, () => s.query(sql, params)) : s.query(sql, params)), signal);
      // A multi-statement text (simple protocol) returns one result per statement: the last counts.
      const last = Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
      return { columns: (last.fields ?? []).map((f) => f.name), rows: (last.rows ?? []) as Row[] };
    },
    withSession,
    eachChunk(sql, params, signal, onChunk) {
      return withSession(async (session) => {
        if (options.readOnly) await session.query('BEGIN TRANSACTION READ ONLY');
        const text = params && params.length > 0 ? numberPlaceholders(sql) : sql;
        const cursor = session.client.query(new Cursor(text, params ? [...params] : undefined, { rowMode: 'array', types }));
        try {
          for (;;) {
            let rows: unknown[][];
            try {
              rows = await cursor.read(CHUNK_ROWS);
            } catch (cause) {
              throw toWarehouseError(cause, { ...context, sql }, signal);
            }
            if (rows.length === 0) return;
            const columns = ((cursor as unknown as { _result?: { fields?: { name: string }[] } })._result?.fields ?? []).map((f) => f.name);
            await onChunk(columns, rows);
            if (signal?.aborted) throw new CanceledError('warehouse query canceled');
          }
        } finally {
          await cursor.close().catch(() => undefined);
          if (options.readOnly) await session.query('ROLLBACK').catch(() => undefined);
        }
      }, signal);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * A reader's statement inside BEGIN READ ONLY … ROLLBACK: whatever it is (a SET that would lift the
 * session's read-only default included), it can neither write nor outlive its transaction.
 */
async function readOnlyTransaction<T>(session: PostgresSession, work: () => Promise<T>): Promise<T> {
  await session.query('BEGIN TRANSACTION READ ONLY');
  try {
    return await work();
  } finally {
    await session.query('ROLLBACK').catch(() => undefined);
  }
}

/**
 * `sslmode` as libpq (and so psql, Metabase's and Superset's drivers) reads it: `require` encrypts
 * without checking the certificate. node-postgres alone reads `require` as `verify-full`, which
 * refuses a managed server whose CA Node does not trust (RDS), unless told to follow libpq.
 */
function withLibpqSslModes(url: string): string {
  if (!/[?&]sslmode=/i.test(url) || /[?&]uselibpqcompat=/i.test(url)) return url;
  return `${url}&uselibpqcompat=true`;
}

function isConnectionLoss(cause: unknown): boolean {
  const code = String((cause as { code?: unknown }).code ?? '');
  return code.startsWith('08') || code.startsWith('57P') || /^E[A-Z]+$/.test(code);
}


