export { createStateStore } from './create-state-store.js';
export { createSqliteStateStore } from './sqlite-state-store.js';
export { createPostgresStateStore } from './postgres-state-store.js';
export { createSqlStateStore } from './sql-state-store.js';
export type { SqlStateStore } from './sql-state-store.js';
export { createSqliteDriver } from './sqlite-driver.js';
export { createPostgresDriver } from './postgres-driver.js';
export type { SqlDriver, SqlValue } from './sql-driver.js';
export { SCHEMA_VERSION } from './migrations.js';
export type {
  BackfillPartitionRecord,
  BackfillPartitionStatus,
  BackfillRecord,
  BackfillStatus,
  CheckResultRecord,
  CheckStatus,
  LockRecord,
  MaterializationRecord,
  RequestLimits,
  RunEventRecord,
  RunRecord,
  RunStatus,
  StateStore,
  StepStatus,
} from './state-store.js';
