export { createModelAssets, modelAssetKey } from './model-assets.js';
export type { ModelResources } from './model-assets.js';
export { openPipelineResources } from './pipeline-resources.js';
export type { OpenResourcesOptions, PipelineResources } from './pipeline-resources.js';
export { createWarehouseWaitReporter, identifyWarehouseHolder } from './warehouse-wait-notice.js';
export type { WarehouseHolderInfo, WarehouseWaitNotice, WarehouseWaitReporterOptions } from './warehouse-wait-notice.js';
export { INGESTION_SPECS, RAW_ENTITIES, buildPipelineGraph } from './rawg-definitions.js';
export { createSourceClient, ledgerKeyOf, parseLedgerKey } from './source-client.js';
export type { SourceClientOptions } from './source-client.js';
