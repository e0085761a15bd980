import { existsSync, statSync } from 'node:fs';
import { CanceledError, WarehouseError } from '../../core/index.js';
import type { PublicationNotice, QueryOptions, Row, SharedWarehouse, Warehouse, WarehouseHolder, WarehouseWait, WarehouseWaitEnd } from '../warehouse.js';
import { createDuckDbWarehouse, UNTRUSTED_SQL_SETTINGS } from './duckdb-driver.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { duckDbHttpfsStatus, type DuckDbS3Lake } from './duckdb-httpfs.js';
import { openPublication } from './open-publication.js';
import { publishForReaders } from './publish-for-readers.js';
import { snapshotPathFor } from './snapshot-path.js';

export interface SharedDuckDbOptions {
  path: string;
  /** How long to wait for another process to release the file before failing. */
  waitMs: number;
  /** Keep the file open this long after the last use, so back-to-back statements don't reopen it. */
  lingerMs?: number;
  /**
   * Called at every busy attempt: the first at once, then with backoff up to once a second while
   * the wait lasts. The next attempt waits for a returned promise (a rejection is ignored).
   */
  onWait?: (wait: WarehouseWait) => void | Promise<void>;
  /** Called once when a wait that called `onWait` ends, however it ends. */
  onWaitEnd?: (end: WarehouseWaitEnd) => void;
  /** Where `publishSnapshot` publishes the marts for readers (default: snapshotPathFor(path)). */
  snapshotPath?: string;
  /** An S3 lake each open makes readable through httpfs when it is available (see DuckDbOptions). */
  s3Lake?: DuckDbS3Lake;
  /**
   * For readers (`gmp query`): open the file read-only, never waiting; while another process holds
   * it, open the publication the last run made instead (and tell `onSnapshot`): the marts and
   * checks, not raw or staging (see openPublication). Nothing is published.
   */
  readOnly?: boolean;
  onSnapshot?: (notice: PublicationNotice) => void;
  /** With `readOnly`, for SQL typed by people: UNTRUSTED_SQL_SETTINGS (no file or network access, configuration locked). */
  untrusted?: boolean;
}

/**
 * A DuckDB warehouse that several processes share by taking turns: DuckDB lets one process hold a
 * file, so this one opens it only while it has work (waiting, with backoff, while another process
 * holds it) and closes it once idle. Statements of this process run one at a time.
 */
export function createSharedDuckDbWarehouse(options: SharedDuckDbOptions): SharedWarehouse {
  const lingerMs = options.lingerMs ?? 250;
  let open: Promise<Warehouse> | undefined;
  let users = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const acquire = async (signal?: AbortSignal): Promise<Warehouse> => {
    users++;
    clearTimeout(idleTimer);
    open ??= (options.readOnly ? openReader(options) : openWaiting(options, signal)).catch((error: unknown) => {
      open = undefined;
      throw error;
    });
    try {
      return await open;
    } catch (error) {
      users--;
      throw error;
    }
  };
  const release = (): void => {
    users--;
    if (users > 0) return;
    idleTimer = setTimeout(() => void closeNow(), lingerMs);
    idleTimer.unref();
  };
  const closeNow = async (): Promise<void> => {
    if (users > 0 || open === undefined) return;
    const current = open;
    open = undefined;
    await (await current).close();
  };

  const use = async <T>(work: (w: Warehouse) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const warehouse = await acquire(signal);
    try {
      return await work(warehouse);
    } finally {
      release();
    }
  };

  return {
    dialect: duckDbDialect,
    capabilities: { readsLocalFiles: true, transactionalDdl: true },
    describe: () => options.path,
    use,
    execute: (statements, opts: QueryOptions & { transaction?: boolean } = {}) => use((w) => w.execute(statements, opts), opts.signal),
    query: (sql: string, opts: QueryOptions = {}): Promise<Row[]> => use((w) => w.query(sql, opts), opts.signal),
    listRelations: () => use((w) => w.listRelations()),
    ...(options.s3Lake ? { lakeUrlsReadable: () => duckDbHttpfsStatus(options.s3Lake!) } : {}),
    publishSnapshot: async (publish = {}) => {
      if (options.readOnly) throw new WarehouseError(`the warehouse ${options.path} is open read-only: it publishes nothing`);
      return use((w) => publishForReaders(w, options.snapshotPath ?? snapshotPathFor(options.path), publish), publish.signal);
    },
    async close() {
      clearTimeout(idleTimer);
      // Let calls in flight finish: closing under them would fail their statements.
      while (users > 0) await new Promise((r) => setTimeout(r, 10));
      await closeNow();
    },
  };
}

async function openWaiting(options: SharedDuckDbOptions, signal?: AbortSignal): Promise<Warehouse> {
  const started = Date.now();
  const snapshotPath = options.snapshotPath ?? snapshotPathFor(options.path);
  let attempts = 0;
  let delay = 25;
  const end = (outcome: WarehouseWaitEnd['outcome']): void => {
    if (attempts > 0) options.onWaitEnd?.({ path: options.path, waitedMs: Date.now() - started, attempts, outcome });
  };
  for (;;) {
    try {
      const warehouse = await createDuckDbWarehouse({ path: options.path, ...(options.s3Lake ? { s3Lake: options.s3Lake } : {}) });
      end('acquired');
      return warehouse;
    } catch (error) {
      const busy = error instanceof WarehouseError && error.code === 'WAREHOUSE_BUSY';
      const waited = Date.now() - started;
      if (!busy || waited >= options.waitMs) {
        end(busy ? 'timed_out' : 'failed');
        throw error;
      }
      attempts++;
      const holder = error.context.holder as WarehouseHolder | undefined;
      await Promise.resolve(
        options.onWait?.({ path: options.path, snapshotPath, waitedMs: waited, attempt: attempts, ...(holder ? { holder } : {}) }),
      ).catch(() => undefined);
      if (!(await pause(delay, signal))) {
        end('canceled');
        throw new CanceledError('canceled while waiting for the warehouse', { cause: error });
      }
      delay = Math.min(1000, delay * 2);
    }
  }
}

/** Sleeps `ms`; false as soon as `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The file opened read-only, else (a run holds it) the readers' publication. Throws WarehouseError
 * when there is no warehouse file yet, naming how to create one, and WAREHOUSE_BUSY, naming the
 * holder, when another process holds the file and nothing has been published.
 */
async function openReader(options: SharedDuckDbOptions): Promise<Warehouse> {
  if (!existsSync(options.path)) {
    throw new WarehouseError(`no warehouse at ${options.path} yet`, {
      hint: 'run `gmp demo` or `gmp materialize` first (or set GMP_WAREHOUSE_URL)',
    });
  }
  // Untrusted SQL gets no lake access at all (raw views over lake files cannot be read from it).
  const s3Lake = options.s3Lake && !options.untrusted ? { s3Lake: options.s3Lake } : {};
  const settings = options.untrusted ? { settings: { ...UNTRUSTED_SQL_SETTINGS } } : {};
  try {
    return await createDuckDbWarehouse({ path: options.path, readOnly: true, ...s3Lake, ...settings });
  } catch (error) {
    const published = options.snapshotPath ?? snapshotPathFor(options.path);
    if (!(error instanceof WarehouseError && error.code === 'WAREHOUSE_BUSY')) throw error;
    if (!existsSync(published)) {
      throw new WarehouseError(`${error.message}, and no snapshot for readers has been published yet`, {
        code: 'WAREHOUSE_BUSY',
        cause: error,
        retryable: true,
        context: error.context,
        hint: 'retry once that process releases the file; every gmp run publishes the marts for readers when it ends',
      });
    }
    // The publication holds marts only: it never reads the lake, so it needs no S3 secret.
    const { warehouse, record } = await openPublication(published, options.untrusted ? { untrusted: true } : {});
    options.onSnapshot?.({ path: published, publishedAt: record?.publishedAt ?? statSync(published).mtime.toISOString(), runId: record?.runId ?? null });
    return warehouse;
  }
}
