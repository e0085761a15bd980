export type {
  PartitionRange,
  QueryOptions,
  Row,
  Warehouse,
  WarehouseCapabilities,
  WarehouseDialect,
} from './warehouse.js';
export { createDuckDbWarehouse, createSharedDuckDbWarehouse, duckDbDialect, snapshotPathFor } from './duckdb/index.js';
export type { DuckDbOptions, SharedDuckDbOptions, SharedWarehouse } from './duckdb/index.js';
