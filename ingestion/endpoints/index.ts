export { createIngestionAssets, ingestionAssetKey } from './create-ingestion-assets.js';
export type { IngestionResources } from './create-ingestion-assets.js';
export { createDetailAssets } from './create-detail-assets.js';
export { DETAIL_SPEC, ENDPOINT_SPEC, defineDetailEndpoint, defineEndpoint } from './endpoint-spec.js';
export type { DetailSpec, DetailSpecInput, EndpointSpec, EndpointSpecInput } from './endpoint-spec.js';
