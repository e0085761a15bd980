export { snowflakeDialect } from './snowflake-dialect.js';
export { isPlainIdentifier, quoteIdent as quoteSnowflakeIdent, quoteRelation as quoteSnowflakeRelation } from './snowflake-identifiers.js';
export {
  COMMITTED_PARTITIONS,
  LAKE_FILE_FORMAT,
  LAKE_STAGE,
  addFilesStatements,
  committedView,
  externalTableDdl,
  lakeTableOf,
  mergeCommittedStatements,
  removeFilesStatements,
  snowflakeSetupStatements,
} from './snowflake-lake-sql.js';
export type { SetupStatement, SnowflakeLakePlan } from './snowflake-lake-sql.js';
export { createSnowflakeDriver, queryTag, sessionSetup } from './snowflake-driver.js';
export type { SessionScope, SnowflakeDriver, SnowflakeDriverOptions, StatementOptions } from './snowflake-driver.js';
export { createSnowflakeWarehouse } from './snowflake-warehouse.js';
export { snowflakeSetupGuide } from './snowflake-setup-guide.js';
export { assertReadOnlyStatement } from './snowflake-read-only-statement.js';
export type { SnowflakeWarehouseOptions } from './snowflake-warehouse.js';
export { redactSql } from './snowflake-errors.js';
