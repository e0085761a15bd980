export type {
  AssetContext,
  AssetDefinition,
  AssetDep,
  AssetKind,
  MaterializeResult,
  PartitionMapping,
} from './asset-definition.js';
