export { estimateRequests } from './estimate-requests.js';
export type { AssetEstimate, CommittedCount, EstimateBasis, EstimateInputs, RequestEstimate } from './estimate-requests.js';
