export type { ArtifactRef, MetricPoint, MlRun, RunStatus } from './tracking/run-record.js';
export type { AliasChange, ListMlRunsOptions, ModelVersion, TrackingStore } from './tracking/tracking-store.js';
export { artifactKey, putArtifact, readArtifactText } from './tracking/artifacts.js';
export {
  CATEGORICAL_FEATURES,
  NUMERIC_FEATURES,
  buildFeatureSpec,
  categoryValues,
  datasetFingerprint,
  encodeRow,
  encodeRows,
  numericValue,
} from './features/feature-spec.js';
export type { CategoricalFeature, FeatureRow, FeatureSpec } from './features/feature-spec.js';
export { accuracy, auc, logloss, mae, r2, rmse } from './evaluation/metrics.js';
export { fitLinearBaseline } from './evaluation/linear-baseline.js';
export type { LinearModel } from './evaluation/linear-baseline.js';
export { MlflowError, mirrorRunToMlflow } from './tracking/mlflow-client.js';
export type { MirroredRun, MlflowOptions } from './tracking/mlflow-client.js';
export type { MlflowErrorCode } from './tracking/mlflow-error.js';
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
