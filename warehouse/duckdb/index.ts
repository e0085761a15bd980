export { createDuckDbWarehouse } from './duckdb-driver.js';
export type { DuckDbOptions } from './duckdb-driver.js';
export { duckDbDialect } from './duckdb-dialect.js';
export { duckDbHttpfsStatus, redactedS3SecretStatement } from './duckdb-httpfs.js';
export type { DuckDbS3Lake, HttpfsStatus } from './duckdb-httpfs.js';
export { createSharedDuckDbWarehouse } from './shared-duckdb-warehouse.js';
export { describeWarehouseHolder, parseDuckDbLockHolder } from './duckdb-lock-holder.js';
export { snapshotPathFor } from './snapshot-path.js';
export type { SharedDuckDbOptions } from './shared-duckdb-warehouse.js';
