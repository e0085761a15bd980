// The Postgres store and driver are imported from their own files (`postgres-state-store.js`,
// `postgres-driver.js`): re-exporting them here would load `pg` for every command.
export { createStateStore } from './create-state-store.js';
export { createSqliteStateStore } from './sqlite-state-store.js';
export { createSqlStateStore } from './sql-state-store.js';
export type { SqlStateStore } from './sql-state-store.js';
export { createSqliteDriver } from './sqlite-driver.js';
export type { SqlDriver, SqlValue } from './sql-driver.js';
export { SCHEMA_VERSION } from './migrations.js';
export { cutPartitionRuns } from './partition-runs.js';
export type { PartitionRun } from './partition-runs.js';
export type {
  ApiTokenRecord,
  AuditRecord,
  BackfillPartitionRecord,
  BackfillPartitionStatus,
  BackfillRecord,
  BackfillStatus,
  CheckResultRecord,
  CheckStatus,
  DaemonRecord,
  LockRecord,
  MaterializationRecord,
  RequestLimits,
  Role,
  RunEventRecord,
  RunRecord,
  RunStatus,
  RunStepSummary,
  SettingRecord,
  EventSourceRecord,
  StateStore,
  StepStatus,
  UserRecord,
} from './state-store.js';
