export { createIngestionAssets, ingestionAssetKey } from './create-ingestion-assets.js';
export type { IngestionResources } from './create-ingestion-assets.js';
export { ENDPOINT_SPEC, defineEndpoint } from './endpoint-spec.js';
export type { EndpointSpec, EndpointSpecInput } from './endpoint-spec.js';
