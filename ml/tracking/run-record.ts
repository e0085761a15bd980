/**
 * A training run in MLflow's shape: experiment, run, status, times, params, metrics with steps,
 * tags and artifacts. gmp keeps these in its state store and the lake; an MLflow server can mirror them.
 */

/** MLflow's run statuses. */
export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** One value of a metric; `step` orders a series (boosting rounds), `timestamp` is ms since the epoch. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** A file a run produced, kept in the lake under the run's artifact folder. */
export interface ArtifactRef {
  /** Path relative to the run's artifact root, e.g. `model/model.json`. */
  path: string;
  /** Lake key of the stored file. */
  key: string;
  bytes: number;
  sha256: string;
}

export interface MlRun {
  runId: string;
  experiment: string;
  /** Human name, e.g. `game_rating_model 2026-12-04T20:10Z`. */
  name: string;
  status: RunStatus;
  /** ms since the epoch. */
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  metrics: MetricPoint[];
  tags: Record<string, string>;
  artifacts: ArtifactRef[];
  /** Why a FAILED run failed, one line, secrets redacted. */
  error: string | null;
}
