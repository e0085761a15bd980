export { API_VERSION, createServerApp, openApiDocument } from './create-server-app.js';
export type { ServerAppOptions } from './create-server-app.js';
export { startServer } from './start-server.js';
export type { RunningServer, ServeOptions } from './start-server.js';
export { defaultAllowedHosts, isLoopback } from './middleware/host-allowlist.js';
// The zod schemas of the API's bodies (the same ones that validate and document each route).
export * as apiSchemas from './api/schemas.js';
export { startCollector } from './collector/start-collector.js';
export type { CollectOptions, RunningCollector } from './collector/start-collector.js';
