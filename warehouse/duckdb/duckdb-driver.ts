import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult } from '@duckdb/node-api';
import { CanceledError, WarehouseError, diskFullError, isDiskFull, redactText } from '../../core/index.js';
import type { QueryOptions, Row, Warehouse } from '../warehouse.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { describeWarehouseHolder, parseDuckDbLockHolder } from './duckdb-lock-holder.js';
import { snapshotPathFor } from './snapshot-path.js';
import {
  HTTPFS_LOAD_STATEMENTS,
  duckDbHttpfsStatus,
  duckDbInstanceSettings,
  redactedS3SecretStatement,
  s3SecretStatement,
  type DuckDbS3Lake,
  type DuckDbSettings,
} from './duckdb-httpfs.js';

export interface DuckDbOptions {
  /** Database file; `:memory:` for tests. */
  path: string;
  readOnly?: boolean;
  /**
   * An S3 lake: when httpfs is available (`duckDbHttpfsStatus`), every open loads it and creates
   * the lake's temporary secret, so raw views over `s3://` URLs can be read.
   */
  s3Lake?: DuckDbS3Lake;
  /** DuckDB settings for the instance and the httpfs probe (e.g. `extension_directory`); autoinstall is always off. */
  settings?: DuckDbSettings;
}

/**
 * DuckDB settings for SQL typed by people (the web console): no file, network or extension beyond
 * the database itself (`read_text('/etc/passwd')`, `COPY … TO`, `ATTACH`, `INSTALL`, `LOAD` fail),
 * and the configuration locked (so `SET` cannot undo it).
 */
export const UNTRUSTED_SQL_SETTINGS = { enable_external_access: 'false', lock_configuration: 'true' } as const;

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);

/**
 * Opens the DuckDB warehouse file. DuckDB allows one writer process: a file held by another
 * process fails with WarehouseError WAREHOUSE_BUSY, its `context.holder` the holder DuckDB names
 * (WarehouseHolder). Statements run one at a time on one connection.
 */
export async function createDuckDbWarehouse(options: DuckDbOptions): Promise<Warehouse> {
  if (options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    // Loaded on first use: the native module costs ~300 ms that commands like `gmp assets` skip.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const settings = duckDbInstanceSettings(options.settings);
    instance = await DuckDBInstance.create(options.path, options.readOnly ? { ...settings, access_mode: 'READ_ONLY' } : settings);
    connection = await instance.connect();
  } catch (cause) {
    throw openError(options.path, cause);
  }
  if (options.s3Lake !== undefined && (await duckDbHttpfsStatus(options.s3Lake, options.settings)).available) {
    await enableHttpfs(connection, options.s3Lake).catch((error: unknown) => {
      connection.closeSync();
      instance.closeSync();
      throw error;
    });
  }
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  async function run(sql: string, signal?: AbortSignal): Promise<DuckDBMaterializedResult> {
    if (signal?.aborted) throw new CanceledError('warehouse statement canceled');
    const onAbort = (): void => connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await connection.run(sql);
    } catch (cause) {
      if (signal?.aborted) throw new CanceledError('warehouse statement canceled', { cause });
      throw statementError(cause, sql, options.path);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const warehouse: Warehouse = {
    dialect: duckDbDialect,
    capabilities: { readsLocalFiles: true, transactionalDdl: true },
    execute(statements, opts: QueryOptions & { transaction?: boolean } = {}) {
      return serialized(async () => {
        if (!opts.transaction) {
          for (const sql of statements) await run(sql, opts.signal);
          return;
        }
        await run('BEGIN TRANSACTION');
        try {
          for (const sql of statements) await run(sql, opts.signal);
          await run('COMMIT');
        } catch (error) {
          await run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    async query(sql, opts: QueryOptions = {}) {
      return (await warehouse.queryTable!(sql, opts)).rows;
    },
    queryTable(sql, opts: QueryOptions = {}) {
      return serialized(async () => {
        if (opts.signal?.aborted) throw new CanceledError('warehouse query canceled');
        let reader;
        // A canceled query is interrupted where it runs (a console's timeout, a closed page).
        const onAbort = (): void => connection.interrupt();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          reader = await connection.runAndReadAll(sql, opts.params ? [...opts.params] : undefined);
        } catch (cause) {
          if (opts.signal?.aborted) throw new CanceledError('warehouse query canceled', { cause });
          throw statementError(cause, sql, options.path);
        } finally {
          opts.signal?.removeEventListener('abort', onAbort);
        }
        const columns = reader.columnNames();
        return { columns, rows: toRows(columns, reader.columnTypes().map(String), reader.getRowObjectsJson()) };
      });
    },
    eachChunk(sql, opts, onChunk) {
      return serialized(async () => {
        if (opts.signal?.aborted) throw new CanceledError('warehouse query canceled');
        const onAbort = (): void => connection.interrupt();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          const result = await connection.stream(sql, opts.params ? [...opts.params] : undefined);
          const columns = result.columnNames();
          for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
            // The consumer's own failure (a client gone) is its own, not the engine's.
            await onChunk(columns, chunk.getRows()).catch((error: unknown) => {
              throw new ConsumerError(error);
            });
            if (opts.signal?.aborted) throw new CanceledError('warehouse query canceled');
          }
        } catch (cause) {
          if (cause instanceof ConsumerError) throw cause.cause;
          if (cause instanceof CanceledError) throw cause;
          if (opts.signal?.aborted) throw new CanceledError('warehouse query canceled', { cause });
          throw statementError(cause, sql, options.path);
        } finally {
          opts.signal?.removeEventListener('abort', onAbort);
        }
      });
    },
    statementTypes(sql) {
      return serialized(async () => {
        const { StatementType } = await import('@duckdb/node-api');
        let extracted;
        try {
          extracted = await connection.extractStatements(sql);
        } catch (cause) {
          throw statementError(cause, sql, options.path);
        }
        const types: string[] = [];
        for (let i = 0; i < extracted.count; i++) {
          try {
            types.push(StatementType[(await extracted.prepare(i)).statementType] ?? 'INVALID');
          } catch (cause) {
            // Refused while binding (a write on a read-only file, a file with external access off).
            throw statementError(cause, sql, options.path);
          }
        }
        return types;
      });
    },
    async listRelations() {
      const rows = await warehouse.query(
        `SELECT table_schema AS schema, table_name AS name, table_type AS type FROM information_schema.tables ` +
          `WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2`,
      );
      return rows.map((r) => ({
        schema: String(r.schema),
        name: String(r.name),
        type: r.type === 'VIEW' ? ('view' as const) : ('table' as const),
      }));
    },
    close() {
      return serialized(async () => {
        connection.closeSync();
        instance.closeSync();
      });
    },
  };
  return warehouse;
}

/** Loads httpfs and creates the lake's secret in this instance; the error never carries the statement. */
async function enableHttpfs(connection: DuckDBConnection, lake: DuckDbS3Lake): Promise<void> {
  try {
    for (const sql of [...HTTPFS_LOAD_STATEMENTS, s3SecretStatement(lake)]) await connection.run(sql);
  } catch (cause) {
    throw new WarehouseError(`DuckDB cannot read the S3 lake through httpfs: ${firstLine(cause)}`, {
      hint: 'check the S3 settings (AWS_ENDPOINT_URL_S3, AWS_REGION, credentials) or remove the httpfs extension to read through the local mirror',
      context: { statement: redactedS3SecretStatement(lake) },
    });
  }
}

class ConsumerError {
  constructor(readonly cause: unknown) {}
}

function toRows(names: string[], types: string[], rows: Record<string, unknown>[]): Row[] {
  const numeric = names.filter((_, i) => INTEGER_TYPES.has(types[i] ?? '') || (types[i] ?? '').startsWith('DECIMAL'));
  if (numeric.length === 0) return rows as Row[];
  for (const row of rows) {
    for (const name of numeric) {
      const v = row[name];
      if (typeof v === 'string') {
        const n = Number(v);
        if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) row[name] = n;
      }
    }
  }
  return rows as Row[];
}

const FULL_HINT = 'free space on that file system (or move the warehouse: GMP_WAREHOUSE_URL), then re-run: DuckDB rolled the unfinished statement back';

/** A failed statement: a full disk as DISK_FULL naming the warehouse file, anything else as DuckDB said it. */
function statementError(cause: unknown, sql: string, file: string): Error {
  if (file !== ':memory:' && isDiskFull(cause, file)) return diskFullError(cause, file, { hint: FULL_HINT });
  return new WarehouseError(`DuckDB: ${firstLine(cause)}`, { cause, context: { sql: clip(sql) } });
}

function openError(file: string, cause: unknown): Error {
  if (file !== ':memory:' && isDiskFull(cause, file)) return diskFullError(cause, file, { hint: FULL_HINT });
  const message = firstLine(cause);
  if (/lock/i.test(message)) {
    const holder = parseDuckDbLockHolder(redactText(cause instanceof Error ? cause.message : String(cause)));
    return new WarehouseError(`the warehouse ${file} is in use by another process: ${describeWarehouseHolder(holder)}`, {
      code: 'WAREHOUSE_BUSY',
      cause,
      retryable: true,
      context: { duckdb: message, ...(holder ? { holder } : {}) },
      hint: `DuckDB lets one process hold the file: retry once it is released; BI tools and the DuckDB CLI should open the read-only snapshot ${snapshotPathFor(file)} instead`,
    });
  }
  return new WarehouseError(`cannot open the DuckDB warehouse ${file}: ${message}`, {
    cause,
    hint: 'check GMP_WAREHOUSE_URL and that the file is a DuckDB database',
  });
}

function firstLine(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return redactText(text.split('\n')[0] ?? text);
}

function clip(sql: string): string {
  return sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql;
}
