import type { WarehouseLocation } from './config-schema.js';
import { postgresTarget } from './postgres-target.js';

/**
 * The warehouse as an OpenLineage namespace: `duckdb://<file>`, `snowflake://<account>` or
 * `postgres://<host>:<port>` (OpenLineage naming; never a credential).
 */
export function warehouseNamespace(location: WarehouseLocation): string {
  switch (location.type) {
    case 'duckdb':
      return `duckdb://${location.path}`;
    case 'snowflake':
      return `snowflake://${location.account.toLowerCase()}`;
    case 'postgres': {
      const { host, port } = postgresTarget(location.url);
      return `postgres://${host}:${port}`;
    }
  }
}
