import { constants, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { CanceledError, WarehouseError } from '../../core/index.js';
import type { QueryOptions, Row, SharedWarehouse, Warehouse, WarehouseHolder, WarehouseWait, WarehouseWaitEnd } from '../warehouse.js';
import { createDuckDbWarehouse, UNTRUSTED_SQL_SETTINGS } from './duckdb-driver.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { duckDbHttpfsStatus, type DuckDbS3Lake } from './duckdb-httpfs.js';
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
  /** Where `publishSnapshot` copies the database for readers (default: snapshotPathFor(path)). */
  snapshotPath?: string;
  /** An S3 lake each open makes readable through httpfs when it is available (see DuckDbOptions). */
  s3Lake?: DuckDbS3Lake;
  /**
   * For readers (`gmp query`): open the file read-only, never waiting; while another process holds
   * it, open the snapshot the last run published instead (and tell `onSnapshot`). Nothing is published.
   */
  readOnly?: boolean;
  onSnapshot?: (snapshot: { path: string; publishedAt: string }) => void;
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
    // Copies the database, consistent and checkpointed, to the snapshot path atomically (for readers and BI).
    publishSnapshot: async (signal) => {
      if (options.readOnly) throw new WarehouseError(`the warehouse ${options.path} is open read-only: it publishes no snapshot`);
      await use(async (w) => {
        const target = options.snapshotPath ?? snapshotPathFor(options.path);
        await w.execute(['CHECKPOINT'], { signal });
        // Copy while this process holds the file (no writer can interleave), then swap atomically:
        // readers that have the old snapshot open keep reading it.
        const temp = `${target}.tmp-${process.pid}`;
        try {
          // A copy-on-write clone where the file system can (btrfs, XFS, APFS): instant at any size.
          copyFileSync(options.path, temp, constants.COPYFILE_FICLONE);
          renameSync(temp, target);
        } catch (cause) {
          rmSync(temp, { force: true });
          throw new WarehouseError(`cannot publish the warehouse snapshot ${target}`, { cause });
        }
      }, signal);
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
 * The file opened read-only, else (a run holds it) the published snapshot. Throws WarehouseError
 * when there is no warehouse file yet, naming how to create one, and WAREHOUSE_BUSY, naming the
 * holder, when another process holds the file and no snapshot has been published.
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
    const snapshot = options.snapshotPath ?? snapshotPathFor(options.path);
    if (!(error instanceof WarehouseError && error.code === 'WAREHOUSE_BUSY')) throw error;
    if (!existsSync(snapshot)) {
      throw new WarehouseError(`${error.message}, and no snapshot for readers has been published yet`, {
        code: 'WAREHOUSE_BUSY',
        cause: error,
        retryable: true,
        context: error.context,
        hint: 'retry once that process releases the file; every gmp run publishes a snapshot for readers when it ends',
      });
    }
    options.onSnapshot?.({ path: snapshot, publishedAt: statSync(snapshot).mtime.toISOString() });
    return createDuckDbWarehouse({ path: snapshot, readOnly: true, ...s3Lake, ...settings });
  }
}
