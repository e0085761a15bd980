export { createPostgresWarehouse } from './postgres-warehouse.js';
export type { PostgresWarehouseOptions } from './postgres-warehouse.js';
export { postgresDialect, siblingName, SWAP_LOCK_TIMEOUT_MS } from './postgres-dialect.js';
export { postgresSetupStatements } from './postgres-setup.js';
export type { PostgresSetupOptions, PostgresSetupStatement } from './postgres-setup.js';
export { quoteIdent, quoteLiteral, quoteRelation } from './postgres-identifiers.js';
