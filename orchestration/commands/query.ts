import { existsSync, statSync } from 'node:fs';
import { WarehouseError } from '../../core/index.js';
import { createDuckDbWarehouse, createSharedWarehouse, snapshotPathFor, type Row } from '../../warehouse/index.js';
import type { Workspace } from './workspace.js';

export interface QueryOptions {
  signal?: AbortSignal;
  /** Told when a run holds the warehouse and the published snapshot answers instead. */
  onSnapshot?: (snapshot: { path: string; publishedAt: string }) => void;
}

/**
 * Runs one SQL statement against the warehouse. A DuckDB file opens read-only (a write fails);
 * while a run holds it, the snapshot the last run published answers instead (and `onSnapshot`
 * says so). A served warehouse (Snowflake) runs it with the configured role, beside any run.
 * Throws WarehouseError when no DuckDB warehouse exists yet, naming how to create one.
 */
export async function queryWarehouse(ws: Workspace, sql: string, options: QueryOptions = {}): Promise<Row[]> {
  if (ws.config.warehouse.type !== 'duckdb') {
    const served = createSharedWarehouse(ws.config.warehouse);
    try {
      return await served.query(sql, options.signal ? { signal: options.signal } : {});
    } finally {
      await served.close();
    }
  }
  const file = ws.config.warehouse.path;
  if (!existsSync(file)) {
    throw new WarehouseError(`no warehouse at ${file} yet`, {
      hint: 'run `gmp demo` or `gmp materialize` first (or set GMP_WAREHOUSE_URL)',
    });
  }
  // Raw views over an S3 lake name s3:// URLs when httpfs is installed: this session needs the secret too.
  const s3Lake = ws.config.lake.type === 's3' ? { s3Lake: ws.config.lake } : {};
  let warehouse;
  try {
    warehouse = await createDuckDbWarehouse({ path: file, readOnly: true, ...s3Lake });
  } catch (error) {
    const snapshot = snapshotPathFor(file);
    if (!(error instanceof WarehouseError && error.code === 'WAREHOUSE_BUSY') || !existsSync(snapshot)) throw error;
    options.onSnapshot?.({ path: snapshot, publishedAt: statSync(snapshot).mtime.toISOString() });
    warehouse = await createDuckDbWarehouse({ path: snapshot, readOnly: true, ...s3Lake });
  }
  try {
    return await warehouse.query(sql, options);
  } finally {
    await warehouse.close();
  }
}
