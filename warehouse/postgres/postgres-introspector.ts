import type { Warehouse } from '../warehouse.js';
import type { PostgresDriver } from './postgres-driver.js';

// Relations of gmp's own machinery, never shown as models: swap siblings and the load bookkeeping.
const INTERNAL = /__gmp_(next|old)$|^_gmp_/;

/** Every table and view outside the system schemas, as the catalog says, gmp's machinery left out. */
export async function listRelations(driver: PostgresDriver): ReturnType<Warehouse['listRelations']> {
  const { rows } = await driver.query(
    `SELECT table_schema AS schema, table_name AS name, table_type AS type FROM information_schema.tables ` +
      `WHERE table_schema NOT IN ('information_schema', 'pg_catalog') AND table_schema NOT LIKE 'pg\\_%' ORDER BY 1, 2`,
  );
  return rows
    .filter((r) => !INTERNAL.test(String(r.name)))
    .map((r) => ({ schema: String(r.schema), name: String(r.name), type: r.type === 'VIEW' ? ('view' as const) : ('table' as const) }));
}
