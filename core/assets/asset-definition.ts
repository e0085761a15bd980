import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PartitionKey } from '../partitions/index.js';
import type { PartitionsDefinition } from '../partitions/index.js';

/**
 * How a dependency's partitions map onto the dependent's (Dagster's PartitionMapping).
 * `time_window`: the upstream partitions whose UTC window overlaps the dependent's — a day needs
 * its 24 hours, an hour needs its day. `time_window_offset` shifts by whole days (24 hours for
 * hourly assets).
 */
export type PartitionMapping =
  | { type: 'identity' }
  | { type: 'all' }
  | { type: 'last' }
  | { type: 'time_window' }
  | { type: 'time_window_offset'; offsetDays: number };

export interface AssetDep {
  key: string;
  /** Defaults: identity between two daily or two hourly assets, time_window between a daily and an hourly one, all otherwise. */
  mapping?: PartitionMapping;
}

export type AssetKind = 'ingestion' | 'external' | 'view' | 'table' | 'partitioned' | 'incremental' | 'check' | 'ml';

/**
 * When the executor runs a failed step again (Dagster's RetryPolicy): only for an error marked
 * `retryable` (a timeout, a busy warehouse, a 5xx storm outlasting the HTTP client's own retries),
 * at most `maxRetries` times, waiting `delayMs` before each retry (`constant`, the default) or
 * `delayMs` doubled at each retry (`exponential`).
 */
export interface RetryPolicy {
  maxRetries: number;
  delayMs: number;
  backoff?: 'constant' | 'exponential';
}

/** The wait before retry number `retry` (1-based) under `policy`. */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  return policy.backoff === 'exponential' ? policy.delayMs * 2 ** (retry - 1) : policy.delayMs;
}

/** What a materialization reports; recorded per (asset, partition) in the state store. */
export interface MaterializeResult {
  rows?: number;
  pages?: number;
  requests?: number;
  bytes?: number;
  metadata?: Record<string, unknown>;
}

export interface AssetContext<R> {
  runId: string;
  assetKey: string;
  /** The partition being materialized (the first of a range), or null for an unpartitioned asset. */
  partitionKey: PartitionKey | null;
  /** Every partition of this step, in order: one for a single partition, many for a range step. */
  partitionKeys: readonly PartitionKey[];
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  resources: R;
}

/**
 * A validated, executable asset. Data moves through the lake and the warehouse, never through
 * memory: `materialize` returns only what it did.
 */
export interface AssetDefinition<R = unknown> {
  key: string;
  description: string;
  deps: readonly AssetDep[];
  partitions: PartitionsDefinition;
  group: string;
  kind: AssetKind;
  tags: readonly string[];
  /** Can materialize a contiguous range of partitions in one step (e.g. a partitioned SQL model). */
  supportsRanges?: boolean;
  /** Retries of a step that failed with a retryable error; none by default. */
  retryPolicy?: RetryPolicy;
  materialize(ctx: AssetContext<R>): Promise<MaterializeResult>;
}
