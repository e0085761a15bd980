export type {
  AssetContext,
  AssetDefinition,
  AssetDep,
  AssetKind,
  MaterializeResult,
  PartitionMapping,
  RetryPolicy,
} from './asset-definition.js';
export { retryDelayMs } from './asset-definition.js';
