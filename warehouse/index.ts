export type {
  PartitionRange,
  QueryOptions,
  Row,
  Warehouse,
  WarehouseCapabilities,
  WarehouseDialect,
} from './warehouse.js';
export { createDuckDbWarehouse, duckDbDialect } from './duckdb/index.js';
export type { DuckDbOptions } from './duckdb/index.js';
