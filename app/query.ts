import { createSharedWarehouse, readPublishedFile, snapshotPathFor, type PublicationNotice, type PublishedFile, type Row, type SharedWarehouse } from '../warehouse/index.js';
import type { Workspace } from './workspace.js';

export interface QueryOptions {
  signal?: AbortSignal;
  /** Told when a run holds the warehouse and the marts the last run published answer instead. */
  onSnapshot?: (notice: PublicationNotice) => void;
}

/**
 * Runs one read-only SQL statement against the warehouse, opened for readers: a DuckDB file
 * read-only (a write fails), or while a run holds it the marts and checks the last run published
 * (and `onSnapshot` says so; a relation of raw or staging then fails with WarehouseError
 * WAREHOUSE_BUSY saying it is not published); a served warehouse (Snowflake) beside any run,
 * refusing with UsageError anything but one read-only statement. Throws WarehouseError when no
 * DuckDB warehouse exists yet, naming how to create one.
 */
export async function queryWarehouse(ws: Workspace, sql: string, options: QueryOptions = {}): Promise<Row[]> {
  const warehouse = openReader(ws, options.onSnapshot);
  try {
    return await warehouse.query(sql, options.signal ? { signal: options.signal } : {});
  } finally {
    await warehouse.close();
  }
}

/** The workspace's warehouse opened for readers; several queries may share it (close it after). */
export function openReader(ws: Workspace, onSnapshot?: QueryOptions['onSnapshot']): SharedWarehouse {
  // Raw views over an S3 lake name s3:// URLs when httpfs is installed: a reader's session needs the secret too.
  const s3Lake = ws.config.lake.type === 's3' ? { s3Lake: ws.config.lake } : {};
  return createSharedWarehouse(ws.config.warehouse, { readOnly: true, ...s3Lake, ...(onSnapshot ? { onSnapshot } : {}) });
}

/**
 * What readers and BI tools get while a run holds the DuckDB warehouse: the last publication's
 * file, size, run, time and relations (read from the file, which the pipeline never locks). Null
 * for engines readers share with runs (Postgres, Snowflake) and before any run has published.
 */
export async function readersPublication(ws: Workspace): Promise<PublishedFile | null> {
  if (ws.config.warehouse.type !== 'duckdb') return null;
  return (await readPublishedFile(snapshotPathFor(ws.config.warehouse.path))) ?? null;
}
