export type { ArtifactRef, MetricPoint, MlRun, RunStatus } from './tracking/run-record.js';
export {
  DEFAULT_NTHREAD,
  DEFAULT_XGBOOST_LIBRARY,
  MlEngineCrashedError,
  MlEngineError,
  MlEngineMissingError,
  trainBoostedTrees,
} from './xgboost/index.js';
export type { BoostingDataset, BoostingObjective, BoostingParams, RoundEval, TrainBoostedTreesInput, TrainBoostedTreesResult } from './xgboost/index.js';
export { featureContributions, featureImportance, parseBoostedTrees, predictBatch, predictMargin, predictRow } from './scorer/index.js';
export type { BoostedTrees, FeatureImportance } from './scorer/index.js';
