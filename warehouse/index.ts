export type {
  CommittedPartition,
  LakeEntity,
  LakeFileRef,
  LakeRecord,
  LakeRecordReader,
  LoadedEntity,
  LoadReport,
  LocalFilesDialect,
  RawLayout,
  PartitionRange,
  PublicationNotice,
  PublicationRecord,
  PublishedFile,
  PublishOptions,
  ReadersPublication,
  QueryOptions,
  SqlParam,
  QueryTag,
  Row,
  SharedWarehouse,
  Warehouse,
  WarehouseCapabilities,
  WarehouseDialect,
  WarehouseHolder,
  WarehouseSetupGuide,
  WarehouseWait,
  WarehouseWaitEnd,
} from './warehouse.js';
export {
  createDuckDbWarehouse,
  createSharedDuckDbWarehouse,
  describeWarehouseHolder,
  duckDbDialect,
  duckDbHttpfsStatus,
  parseDuckDbLockHolder,
  snapshotPathFor,
  isUnpublishedRelationError,
  openPublication,
  publishForReaders,
  readPublishedFile,
  PUBLISHED_SCHEMAS,
  PUBLICATION_TABLE,
  createSqlParser,
  sqlParserDialect,
} from './duckdb/index.js';
export type { DuckDbOptions, DuckDbS3Lake, HttpfsStatus, OpenPublicationOptions, SharedDuckDbOptions, SqlParser } from './duckdb/index.js';
export { createSnowflakeWarehouse, snowflakeDialect } from './snowflake/index.js';
export {
  createPostgresWarehouse,
  postgresDialect,
  postgresSetupStatements,
  quoteIdent as quotePostgresIdent,
  quoteLiteral as quotePostgresLiteral,
  quoteRelation as quotePostgresRelation,
} from './postgres/index.js';
export type { PostgresSetupOptions, PostgresSetupStatement, PostgresWarehouseOptions } from './postgres/index.js';
export type { SetupStatement, SnowflakeWarehouseOptions } from './snowflake/index.js';
export { WAREHOUSE_TYPES, createSharedWarehouse, dialectFor, warehouseSetupGuide } from './create-warehouse.js';
export type { OpenWarehouseOptions, WarehouseType } from './create-warehouse.js';
export { lakeAccessFrom, lakeAccessQuery, warehouseSetupStatements } from './setup-statements.js';
export type { LakeAccess, LakeSetup } from './setup-statements.js';
export { slicePredicate } from './slice-predicate.js';
