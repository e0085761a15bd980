export {
  AssetError,
  AuthError,
  BudgetError,
  CanceledError,
  ConfigError,
  DefinitionError,
  GmpError,
  HttpError,
  LakeError,
  ModelError,
  StateError,
  UsageError,
  WarehouseError,
  exitCodeFor,
  rootCause,
} from './gmp-error.js';
export type { ErrorCode, GmpErrorOptions } from './gmp-error.js';
export { DiskFullError, diskFullMessage } from './disk-full-error.js';
export type { DiskFullDetails } from './disk-full-error.js';
