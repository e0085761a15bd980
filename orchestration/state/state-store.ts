export type RunStatus = 'running' | 'succeeded' | 'failed' | 'canceled';
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'canceled';

export interface RunRecord {
  runId: string;
  kind: string;
  status: RunStatus;
  selection: string;
  /** Human summary of the partitions, e.g. `2024-05-01..2024-05-07 (7)`. */
  partitions: string;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
}

export interface RunEventRecord {
  id?: number;
  runId: string;
  ts: string;
  type: 'RUN_START' | 'RUN_END' | 'STEP_START' | 'STEP_SUCCESS' | 'STEP_FAILURE' | 'STEP_SKIPPED' | 'LOG';
  asset: string | null;
  partition: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
}

export interface MaterializationRecord {
  runId: string;
  asset: string;
  /** `null` for unpartitioned assets. */
  partition: string | null;
  status: StepStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  rows: number | null;
  pages: number | null;
  requests: number | null;
  metadata: Record<string, unknown> | null;
  error: string | null;
}

/**
 * Persistence for runs, append-only run events and materializations per (asset, partition).
 * Every text is redacted before it is stored. Implementations: SQLite (embedded default).
 */
export interface StateStore {
  readonly description: string;
  createRun(run: Omit<RunRecord, 'endedAt' | 'error' | 'status'>): Promise<void>;
  finishRun(runId: string, status: RunStatus, endedAt: string, error?: string | null): Promise<void>;
  appendEvent(event: RunEventRecord): Promise<void>;
  recordMaterialization(record: MaterializationRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(options?: { limit?: number }): Promise<RunRecord[]>;
  listEvents(runId: string): Promise<RunEventRecord[]>;
  listMaterializations(options?: { runId?: string; asset?: string }): Promise<MaterializationRecord[]>;
  /** The latest status of every (asset, partition) recorded for `asset`. */
  latestByPartition(asset: string): Promise<{ partition: string | null; status: StepStatus; runId: string; endedAt: string }[]>;
  close(): Promise<void>;
}
