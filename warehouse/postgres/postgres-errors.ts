import { CanceledError, DiskFullError, WarehouseError } from '../../core/index.js';

const CONNECTION_CODES = /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|PIPE)$|^ENOTFOUND$/;
const SQL_CLIP = 2_000;

export interface StatementContext {
  sql?: string;
  params?: readonly unknown[];
  /** `postgres://user@host:port/db`, never with a password. */
  where: string;
  user: string;
  database: string;
}

/**
 * One clear line for what a user can fix (the server unreachable, the login refused, the database
 * missing, a privilege missing), with a hint; any other error keeps Postgres's message, SQLSTATE,
 * the statement and its parameters in the context. Messages are redacted by WarehouseError.
 */
export function toWarehouseError(cause: unknown, at: StatementContext, signal?: AbortSignal): Error {
  if (cause instanceof WarehouseError || cause instanceof CanceledError) return cause;
  const e = (cause ?? {}) as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown; position?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = firstLine(typeof e.message === 'string' ? e.message : String(cause));
  const context = {
    ...(code ? { sqlstate: code } : {}),
    ...(at.sql !== undefined ? { sql: clip(at.sql) } : {}),
    ...(at.params !== undefined && at.params.length > 0 ? { params: at.params } : {}),
    ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
    ...(typeof e.position === 'string' ? { position: Number(e.position) } : {}),
    warehouse: at.where,
  };
  if (code === '57014' && signal?.aborted) return new CanceledError('warehouse statement canceled', { cause });
  if (CONNECTION_CODES.test(code) || /connect(ion)? (terminated|timeout)|timeout expired/i.test(message)) {
    return new WarehouseError(`cannot reach the Postgres warehouse ${at.where}: ${message}`, {
      cause,
      context,
      retryable: true,
      hint: "check the host and port in GMP_WAREHOUSE_URL (or PGHOST/PGPORT) and that the server is running and accepts TCP connections",
    });
  }
  if (code === '28P01' || code === '28000') {
    return new WarehouseError(`Postgres refused the login of "${at.user}" at ${at.where}: ${message}`, {
      cause,
      context,
      hint: 'check the user and password (the URL of GMP_WAREHOUSE_URL or PGPASSWORD) and the server\'s pg_hba.conf',
    });
  }
  if (code === '3D000') {
    return new WarehouseError(`the database "${at.database}" does not exist on ${at.where}`, {
      cause,
      context,
      hint: `create it (createdb ${at.database}, or CREATE DATABASE ${at.database}) or fix the database name in GMP_WAREHOUSE_URL`,
    });
  }
  if (code === '42501') {
    return new WarehouseError(`Postgres: ${message} (role "${at.user}")`, {
      cause,
      context,
      hint: 'an admin runs `gmp warehouse setup` once (or pastes the SQL of `gmp warehouse setup --print`) to give the role its schemas and privileges',
    });
  }
  if (code === '53100') {
    // The server's disk: its free space is not ours to measure; the statement was rolled back.
    return new DiskFullError({ path: `the data directory of ${at.where}`, cause, hint: 'free space on the Postgres server (or grow its volume), then re-run: the statement was rolled back' });
  }
  if (code === '25006') {
    return new WarehouseError(`Postgres: ${message}`, { cause, context, hint: 'this connection is read-only: only queries run here' });
  }
  const detail = typeof e.hint === 'string' ? e.hint : undefined;
  return new WarehouseError(`Postgres: ${message}${code ? ` (SQLSTATE ${code})` : ''}`, {
    cause,
    context,
    // Serialization failures and deadlocks succeed when run again.
    retryable: code === '40001' || code === '40P01' || code.startsWith('08'),
    ...(detail ? { hint: detail } : {}),
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function clip(sql: string): string {
  return sql.length > SQL_CLIP ? `${sql.slice(0, SQL_CLIP)}…` : sql;
}
