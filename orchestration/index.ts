export * from './commands/index.js';
export * from './definitions/index.js';
export * from './execute/index.js';
export * from './graph/index.js';
export * from './selection/index.js';
export * from './state/index.js';
export * from './backfill/index.js';
export * from './leases/index.js';
