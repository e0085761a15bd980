export { createPostgresWarehouse } from './postgres-warehouse.js';
export type { PostgresWarehouseOptions } from './postgres-warehouse.js';
export { postgresDialect, siblingName, SWAP_LOCK_TIMEOUT_MS } from './postgres-dialect.js';
