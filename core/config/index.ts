export { ENV_SCHEMA, SECRET_VARIABLES } from './config-schema.js';
export type { Config, LakeLocation, RawgSettings, StateLocation, WarehouseLocation } from './config-schema.js';
export { loadConfig, parseLakeUrl } from './load-config.js';
