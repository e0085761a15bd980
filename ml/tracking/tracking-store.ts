import type { MetricPoint, MlRun, RunStatus } from './run-record.js';

/** A registered model version: a run's model under a name, numbered 1, 2, … per name. */
export interface ModelVersion {
  model: string;
  version: number;
  runId: string;
  /** ISO time of registration. */
  createdAt: string;
  /** The aliases (`production`, `candidate`) that point at this version now. */
  aliases: string[];
}

/** Who moved an alias, when, and why (kept as the registry's history). */
export interface AliasChange {
  model: string;
  alias: string;
  version: number;
  at: string;
  by: string;
  reason: string;
}

export interface ListMlRunsOptions {
  experiment?: string;
  status?: RunStatus;
  limit?: number;
}

/**
 * Where runs and the registry are kept: gmp's state store (SQLite by default, Postgres when shared).
 * Metrics keep every step; `listMlRuns` returns each metric's last value only.
 */
export interface TrackingStore {
  createMlRun(run: MlRun): Promise<void>;
  /** Sets status, end time, error, and merges params, tags and artifacts into the run. */
  updateMlRun(runId: string, patch: Partial<Pick<MlRun, 'status' | 'endTime' | 'error' | 'params' | 'tags' | 'artifacts'>>): Promise<void>;
  logMlMetrics(runId: string, points: readonly MetricPoint[]): Promise<void>;
  getMlRun(runId: string): Promise<MlRun | undefined>;
  /** The latest first. */
  listMlRuns(options?: ListMlRunsOptions): Promise<MlRun[]>;
  /** Registers the run's model as the next version of `model`. */
  createModelVersion(model: string, runId: string, at: string): Promise<ModelVersion>;
  /** Every version of `model` (or of every model), the latest first, with their aliases. */
  listModelVersions(model?: string): Promise<ModelVersion[]>;
  /** Points `alias` at `version` (moving it from any other version), recorded with who and why. */
  setModelAlias(change: AliasChange): Promise<void>;
  /** The alias history of `model`, the latest first. */
  listAliasChanges(model: string, limit?: number): Promise<AliasChange[]>;
}
