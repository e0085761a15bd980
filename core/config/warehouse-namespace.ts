import type { WarehouseLocation } from './config-schema.js';

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
      const url = new URL(location.url);
      return `postgres://${url.hostname || process.env.PGHOST || 'localhost'}:${url.port || process.env.PGPORT || '5432'}`;
    }
  }
}
