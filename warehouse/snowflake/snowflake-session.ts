import type { Bind, Connection, ConnectionOptions, RowStatement } from 'snowflake-sdk';
import type { Row } from '../warehouse.js';
import type { Sdk } from './load-snowflake-sdk.js';

export interface RunOptions {
  binds?: readonly Bind[];
  /** Statement-level session parameters (QUERY_TAG). */
  parameters?: Record<string, string | number | boolean>;
  /** The request id of an earlier attempt: Snowflake recognises a resubmitted statement by it. */
  requestId?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  rows: Row[];
  queryId: string | undefined;
  requestId: string | undefined;
}

/** One logged-in Snowflake session (one snowflake-sdk Connection); statements run one at a time. */
export interface SnowflakeSession {
  /** Rejects with the SDK's error (mapped by the driver), or the abort reason once `signal` fires. */
  run(sql: string, options?: RunOptions): Promise<RunResult>;
  /** Ends the session on the server (`POST /session?delete=true`); never rejects. */
  close(): Promise<void>;
}

/** Logs in (rejecting with the SDK's error) and runs `init` (session parameters) before anything else. */
export async function openSnowflakeSession(sdk: Sdk, options: ConnectionOptions, init: readonly string[]): Promise<SnowflakeSession> {
  const connection = sdk.createConnection(options);
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  const session: SnowflakeSession = {
    run: (sql, runOptions = {}) => runStatement(connection, sql, runOptions),
    close: () => new Promise<void>((resolve) => connection.destroy(() => resolve())),
  };
  try {
    for (const sql of init) await session.run(sql);
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

function runStatement(connection: Connection, sql: string, options: RunOptions): Promise<RunResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<RunResult>((resolve, reject) => {
    const statement = connection.execute({
      sqlText: sql,
      ...(options.binds && options.binds.length > 0 ? { binds: options.binds } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
      ...(options.requestId ? { requestId: options.requestId } : {}),
      complete: (error, stmt, rows) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) return reject(error);
        resolve({ rows: normalizeRows(stmt, rows ?? []), queryId: stmt.getQueryId(), requestId: stmt.getRequestId() });
      },
    }) as RowStatement;
    function onAbort(): void {
      // POST /queries/<id>/abort-request; the statement's own callback then reports the cancel.
      statement.cancel(() => undefined);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Rows as DuckDB's JSON rows look: Snowflake folds unquoted names to upper case (`count(*) AS n`
 * comes back as `N`) while gmp writes lower-case names, so an all-upper-case column name is
 * returned in lower case (quoted mixed-case names are kept); DATE values as `YYYY-MM-DD` and
 * timestamps as ISO 8601 in UTC (the session's TIMEZONE), whatever the account's output formats.
 */
function normalizeRows(statement: RowStatement, rows: Record<string, unknown>[]): Row[] {
  const columns = (statement.getColumns() ?? []).map((c) => ({
    from: c.getName(),
    to: normalizeName(c.getName()),
    date: c.isDate(),
  }));
  return rows.map((row) => {
    const out: Row = {};
    for (const { from, to, date } of columns) {
      const value = row[from];
      out[to] = value instanceof Date ? (date ? value.toISOString().slice(0, 10) : value.toISOString()) : value;
    }
    return out;
  });
}

/** The lower-case form gmp uses for an unquoted (upper-case) Snowflake name; other names are kept. */
export function normalizeName(name: string): string {
  return name === name.toUpperCase() ? name.toLowerCase() : name;
}
