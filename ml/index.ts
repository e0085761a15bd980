export type { ArtifactRef, MetricPoint, MlRun, RunStatus } from './tracking/run-record.js';
export type { AliasChange, ListMlRunsOptions, ModelVersion, TrackingStore } from './tracking/tracking-store.js';
export { artifactKey, putArtifact, readArtifactBytes, readArtifactText } from './tracking/artifacts.js';
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
  probeXgboost,
  trainBoostedTrees,
} from './xgboost/index.js';
export type { BoostingDataset, BoostingObjective, BoostingParams, RoundEval, TrainBoostedTreesInput, TrainBoostedTreesResult } from './xgboost/index.js';
export { featureContributions, featureImportance, parseBoostedTrees, predictBatch, predictMargin, predictRow } from './scorer/index.js';
export type { BoostedTrees, FeatureImportance } from './scorer/index.js';
export { GAME_MODELS, holdoutOf, labelOf, primaryMetric, releaseDay, splitByRelease } from './training/game-models.js';
export type { GameModelDefinition, SplitOptions, TimeSplit } from './training/game-models.js';
export { PSI_SHIFT, PSI_WARN, featureReference, populationStability } from './training/drift.js';
export type { FeatureReference } from './training/drift.js';
export { DEFAULT_BOOSTING, DEFAULT_MIN_ROWS, TrainingDataError, trainGameModel } from './training/train-game-model.js';
export type { TrainGameModelInput, TrainedGameModel } from './training/train-game-model.js';
export { runTraining } from './training/run-training.js';
export { ALIASES, productionVersion, productionVersions } from './registry/aliases.js';
export type { RunTrainingInput, TrainingOutcome } from './training/run-training.js';
export { ARTIFACTS, loadSavedModel } from './registry/saved-model.js';
export type { LoadedModel, SavedFeatureSpec } from './registry/saved-model.js';
export { compareOnHoldout, describeComparison, scoreOnRows } from './registry/promotion.js';
export type { HoldoutComparison } from './registry/promotion.js';
