export { createDuckDbWarehouse } from './duckdb-driver.js';
export type { DuckDbOptions } from './duckdb-driver.js';
export { duckDbDialect } from './duckdb-dialect.js';
