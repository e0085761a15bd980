import pg from 'pg';
import { StateError, maskPassword, numberPlaceholders } from '../../core/index.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

const MAX_CONNECTIONS = 5;
// Connection-class SQLSTATEs and socket errors: the server or the network, worth a retry.
const TRANSIENT = /^(08|57P0|40001|40P01|53300)|^E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH|AI_AGAIN)$/;

/** Connects a small pool to `url`; every error becomes a StateError naming the URL without its password. */
export function createPostgresDriver(url: string): SqlDriver {
  const password = passwordOf(url);
  const where = maskPassword(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: MAX_CONNECTIONS,
    application_name: 'gmp',
    connectionTimeoutMillis: 10_000,
    // A CLI that forgets close() must still exit.
    allowExitOnIdle: true,
  });
  // An idle client dying (server restart) is dropped by the pool; the next query reports it.
  pool.on('error', () => undefined);
  const fail = (cause: unknown): StateError => toStateError(cause, where, password);

  const over = (client: pg.Pool | pg.PoolClient, inTransaction: boolean): SqlDriver => {
    const driver: SqlDriver = {
      dialect: 'postgres',
      async query<T>(sql: string, params: readonly SqlValue[] = []) {
        try {
          return (await client.query(numberPlaceholders(sql), params as SqlValue[])).rows as T[];
        } catch (cause) {
          throw fail(cause);
        }
      },
      async execute(sql, params = []) {
        try {
          return (await client.query(numberPlaceholders(sql), params as SqlValue[])).rowCount ?? 0;
        } catch (cause) {
          throw fail(cause);
        }
      },
      transaction: inTransaction ? (fn) => fn(driver) : (fn) => transaction(fn),
      close: async () => undefined,
    };
    return driver;
  };

  const transaction = async <T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw fail(cause);
    }
    let broken: Error | undefined;
    try {
      const tx = over(client, true);
      await tx.execute('BEGIN');
      const result = await fn(tx);
      await tx.execute('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  };

  let ended: Promise<void> | undefined;
  return {
    ...over(pool, false),
    close: () => (ended ??= pool.end()),
  };
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}


function toStateError(cause: unknown, where: string, password: string): StateError {
  if (cause instanceof StateError) return cause;
  const code = String((cause as { code?: unknown }).code ?? '');
  let message = (cause as Error).message ?? String(cause);
  if (password.length > 0) message = message.split(password).join('***');
  const transient = TRANSIENT.test(code);
  const connection = /^(08|57P0|28|3D000)|^E[A-Z]+$/.test(code);
  return new StateError(`state store ${where}: ${message}`, {
    cause,
    retryable: transient,
    context: { code },
    hint: connection
      ? 'check GMP_STATE_URL (host, port, user, password, database) and that the Postgres server is running and reachable'
      : code.startsWith('23')
        ? 'a record with the same id already exists: run and backfill ids must be unique'
        : 'the Postgres state database may have been changed by hand; check GMP_STATE_URL points at a gmp state database',
  });
}
