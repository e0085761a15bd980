export type { ArtifactRef, MetricPoint, MlRun, RunStatus } from './tracking/run-record.js';
export { MlflowError, mirrorRunToMlflow } from './tracking/mlflow-client.js';
export type { MirroredRun, MlflowOptions } from './tracking/mlflow-client.js';
export type { MlflowErrorCode } from './tracking/mlflow-error.js';
