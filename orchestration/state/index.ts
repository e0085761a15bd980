export { createStateStore } from './create-state-store.js';
export { createSqliteStateStore } from './sqlite-state-store.js';
export type {
  MaterializationRecord,
  RunEventRecord,
  RunRecord,
  RunStatus,
  StateStore,
  StepStatus,
} from './state-store.js';
