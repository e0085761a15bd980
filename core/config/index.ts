export { SECRET_VARIABLES, envSchema } from './config-schema.js';
export type {
  Config,
  LakeLocation,
  MlSettings,
  RawgSettings,
  SnowflakeCredentials,
  SnowflakeLocation,
  PostgresWarehouseLocation,
  StateLocation,
  WarehouseLocation,
} from './config-schema.js';
export { findProjectRoot } from './find-project-root.js';
export { loadConfig, parseLakeUrl } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { SANDBOX_LEDGER, requestLedger } from './request-ledger.js';
export { warehouseNamespace } from './warehouse-namespace.js';
export { postgresTarget } from './postgres-target.js';
export type { PostgresTarget } from './postgres-target.js';
