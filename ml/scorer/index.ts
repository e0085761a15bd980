export { parseBoostedTrees } from './parse-boosted-trees.js';
export type { BoostedTrees } from './parse-boosted-trees.js';
export { predictBatch, predictMargin, predictRow } from './predict-row.js';
export { featureContributions } from './feature-contributions.js';
export { featureImportance } from './feature-importance.js';
export type { FeatureImportance } from './feature-importance.js';
