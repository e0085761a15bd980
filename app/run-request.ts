import { randomBytes } from 'node:crypto';
import type { Clock, PartitionKey } from '../core/index.js';
import type { RunStatus, Step, StepResult } from '../orchestration/index.js';
import type { RunDigest } from './summarize-run.js';

export interface MaterializeRequest {
  select: string;
  /** Removed from the selection (same syntax). */
  exclude?: string;
  partition?: string;
  from?: string;
  to?: string;
  concurrency?: number;
  /** Steps of one asset running at once (default: no cap beyond `concurrency`). */
  maxPerAsset?: number;
  /** Recorded with the run (`materialize`, `demo`, …). */
  kind?: string;
}

/** A warning logged during a run, folded: how often, and where (asset or asset[partition]). */
export interface RunWarning {
  message: string;
  count: number;
  where: string[];
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  steps: StepResult[];
  durationMs: number;
  requests: number;
  /** What a person reads: assets, checks by outcome, failures grouped (see summarizeRun). */
  digest: RunDigest;
  /** Every warning the run logged (checks aside: they are in `digest.checks`). */
  warnings: RunWarning[];
}

export interface PreparedRun {
  runId: string;
  steps: Step[];
  partitions: PartitionKey[] | null;
}

export function describePartitions(keys: readonly PartitionKey[] | null): string {
  if (keys === null || keys.length === 0) return '-';
  return keys.length === 1 ? keys[0]! : `${keys[0]}..${keys[keys.length - 1]} (${keys.length})`;
}

/** Sortable, path-safe run ids: `20241101T030000Z-3f9a1c`. */
export function newRunId(clock: Clock): string {
  const stamp = clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
