export { buildAssetGraph, effectiveMapping } from './asset-graph.js';
export type { AssetGraph } from './asset-graph.js';
