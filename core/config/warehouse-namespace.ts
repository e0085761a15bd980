import type { WarehouseLocation } from './config-schema.js';

/** The warehouse as an OpenLineage namespace: `duckdb://<file>` or `snowflake://<account>` (OpenLineage naming). */
export function warehouseNamespace(location: WarehouseLocation): string {
  return location.type === 'duckdb' ? `duckdb://${location.path}` : `snowflake://${location.account.toLowerCase()}`;
}
