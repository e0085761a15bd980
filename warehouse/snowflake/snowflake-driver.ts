import { randomUUID } from 'node:crypto';
import type { Bind, ConnectionOptions } from 'snowflake-sdk';
import { CanceledError, silentLogger, type Logger, type SnowflakeCredentials } from '../../core/index.js';
import type { QueryTag, Row } from '../warehouse.js';
import { loadSnowflakeSdk } from './load-snowflake-sdk.js';
import { quoteLiteral } from './snowflake-identifiers.js';
import { canceled, isTransient, needsReconnect, toWarehouseError } from './snowflake-errors.js';
import { openSnowflakeSession, type SnowflakeSession } from './snowflake-session.js';

export interface SnowflakeDriverOptions {
  account: string;
  database: string;
  schema?: string;
  warehouse?: string;
  role?: string;
  credentials: SnowflakeCredentials;
  statementTimeoutS: number;
  /** A full endpoint instead of https://<account>.snowflakecomputing.com (test servers, proxies). */
  accessUrl?: string;
  /** Sessions open at once; each runs one statement (or one transaction) at a time. Default 4. */
  maxSessions?: number;
  /** Attempts after the first for a transient failure outside a transaction. Default 3. */
  retries?: number;
  /** First retry delay, doubling per retry. Default 500 ms. */
  retryBaseMs?: number;
  logger?: Logger;
}

export interface StatementOptions {
  binds?: readonly Bind[];
  tag?: QueryTag;
  signal?: AbortSignal;
}

/** Statements on one session held exclusively: no transparent retry, so a transaction stays whole. */
export interface SessionScope {
  run(sql: string, options?: StatementOptions): Promise<Row[]>;
}

/** The IO half of the Snowflake adapter: a small session pool over snowflake-sdk. */
export interface SnowflakeDriver {
  /**
   * Runs one statement. Transient failures (network, 5xx the SDK gave up on, an expired login →
   * a new session) are retried with backoff; SQL errors never are. Throws WarehouseError with the
   * query id and the redacted SQL, or CanceledError.
   */
  run(sql: string, options?: StatementOptions): Promise<Row[]>;
  /** Runs `work` on one session nobody else uses meanwhile (for BEGIN … COMMIT). */
  withSession<T>(work: (session: SessionScope) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Waits for statements in flight, then ends every session. */
  close(): Promise<void>;
}

/** Creates the driver; nothing is imported or connected until the first statement. */
export function createSnowflakeDriver(options: SnowflakeDriverOptions): SnowflakeDriver {
  const logger = options.logger ?? silentLogger;
  const maxSessions = options.maxSessions ?? 4;
  const retries = options.retries ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const idle: SnowflakeSession[] = [];
  const waiting: (() => void)[] = [];
  const closing = new Set<Promise<void>>();
  let leased = 0;
  let closed = false;

  const connect = async (): Promise<SnowflakeSession> => {
    const sdk = await loadSnowflakeSdk(logger);
    try {
      return await openSnowflakeSession(sdk, connectionOptions(options), [sessionSetup(options.statementTimeoutS)]);
    } catch (error) {
      throw toWarehouseError(error, { during: 'login' });
    }
  };

  const acquire = async (signal?: AbortSignal): Promise<SnowflakeSession> => {
    if (closed) throw new Error('the Snowflake warehouse is closed');
    while (leased >= maxSessions) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (signal?.aborted) throw new CanceledError('canceled while waiting for a Snowflake session');
    }
    leased++;
    const reused = idle.pop();
    if (reused) return reused;
    try {
      return await connect();
    } catch (error) {
      leased--;
      waiting.shift()?.();
      throw error;
    }
  };

  const release = (session: SnowflakeSession, broken: boolean): void => {
    leased--;
    if (broken || closed) {
      const done = session.close().finally(() => closing.delete(done));
      closing.add(done);
    } else idle.push(session);
    waiting.shift()?.();
  };

  const runOn = async (session: SnowflakeSession, sql: string, opts: StatementOptions, requestId?: string): Promise<{ rows: Row[] }> => {
    try {
      return await session.run(sql, {
        ...(opts.binds ? { binds: opts.binds } : {}),
        ...(opts.tag ? { parameters: { QUERY_TAG: queryTag(opts.tag) } } : {}),
        ...(requestId ? { requestId } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (error) {
      if (opts.signal?.aborted) throw canceled(sql);
      throw error;
    }
  };

  return {
    async run(sql, opts = {}) {
      // One request id for every attempt: a request id makes execution idempotent on Snowflake's
      // side (the SDK's own HTTP retries rely on it), so a statement whose outcome a network error
      // hid is not run twice.
      const requestId = randomUUID();
      for (let attempt = 0; ; attempt++) {
        const session = await acquire(opts.signal);
        let broken = false;
        try {
          const result = await runOn(session, sql, opts, requestId);
          return result.rows;
        } catch (error) {
          if (error instanceof CanceledError) throw error;
          broken = needsReconnect(error);
          if (!isTransient(error) || attempt >= retries) throw toWarehouseError(error, { sql, binds: opts.binds ?? [], during: 'query' });
          const delay = retryBaseMs * 2 ** attempt;
          logger.warn({ attempt: attempt + 1, delay_ms: delay, reconnect: broken }, 'Snowflake: transient failure, retrying the statement');
          await sleep(delay, opts.signal, sql);
        } finally {
          release(session, broken);
        }
      }
    },
    async withSession(work, signal) {
      const session = await acquire(signal);
      let broken = false;
      const scope: SessionScope = {
        run: async (sql, opts = {}) => {
          try {
            return (await runOn(session, sql, { ...opts, ...(signal && !opts.signal ? { signal } : {}) })).rows;
          } catch (error) {
            if (error instanceof CanceledError) throw error;
            broken ||= needsReconnect(error);
            throw toWarehouseError(error, { sql, binds: opts.binds ?? [], during: 'query' });
          }
        },
      };
      try {
        return await work(scope);
      } finally {
        release(session, broken);
      }
    },
    async close() {
      closed = true;
      while (leased > 0) await new Promise((r) => setTimeout(r, 10));
      await Promise.all([...idle.splice(0).map((s) => s.close()), ...closing]);
    },
  };
}

function connectionOptions(options: SnowflakeDriverOptions): ConnectionOptions {
  const { credentials } = options;
  const auth: ConnectionOptions =
    credentials.type === 'password'
      ? { authenticator: 'SNOWFLAKE', password: credentials.password }
      : {
          authenticator: 'SNOWFLAKE_JWT',
          ...('privateKey' in credentials ? { privateKey: credentials.privateKey } : { privateKeyPath: credentials.privateKeyPath }),
          ...(credentials.passphrase !== undefined ? { privateKeyPass: credentials.passphrase } : {}),
        };
  return {
    account: options.account,
    username: credentials.user,
    database: options.database,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.warehouse ? { warehouse: options.warehouse } : {}),
    ...(options.role ? { role: options.role } : {}),
    ...(options.accessUrl ? { accessUrl: options.accessUrl } : {}),
    application: 'gmp',
    ...auth,
  };
}

/** Session parameters every gmp session runs with, set once after login. */
export function sessionSetup(statementTimeoutS: number): string {
  return `ALTER SESSION SET TIMEZONE = 'UTC' STATEMENT_TIMEOUT_IN_SECONDS = ${statementTimeoutS} QUERY_TAG = ${quoteLiteral(queryTag({}))}`;
}

/** QUERY_TAG as JSON, so Snowflake's query history can be filtered by run and asset. */
export function queryTag(tag: QueryTag): string {
  return JSON.stringify({ app: 'gmp', ...tag });
}

async function sleep(ms: number, signal: AbortSignal | undefined, sql: string): Promise<void> {
  if (signal?.aborted) throw canceled(sql);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
  if (signal?.aborted) throw canceled(sql);
}
