import { existsSync } from 'node:fs';
import { WarehouseError } from '../../core/index.js';
import { createDuckDbWarehouse, type Row } from '../../warehouse/index.js';
import type { Workspace } from './workspace.js';

/**
 * Runs one SQL statement against the warehouse opened read-only (a write fails). Throws
 * WarehouseError when no warehouse exists yet, naming how to create one.
 */
export async function queryWarehouse(ws: Workspace, sql: string, options: { signal?: AbortSignal } = {}): Promise<Row[]> {
  const file = ws.config.warehouse.path;
  if (!existsSync(file)) {
    throw new WarehouseError(`no warehouse at ${file} yet`, {
      hint: 'run `gmp demo` or `gmp materialize` first (or set GMP_WAREHOUSE_URL)',
    });
  }
  const warehouse = await createDuckDbWarehouse({ path: file, readOnly: true });
  try {
    return await warehouse.query(sql, options);
  } finally {
    await warehouse.close();
  }
}
