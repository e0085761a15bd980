export type { ArtifactRef, MetricPoint, MlRun, RunStatus } from './tracking/run-record.js';
