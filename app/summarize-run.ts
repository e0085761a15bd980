import { ModelError, rootCause, type AssetKind, type GmpError } from '../core/index.js';
import type { StepResult } from '../orchestration/index.js';
import { describePartitions } from './run-request.js';

/** One asset of a run: its partitions, what it did and its wall-clock span. */
export interface AssetRunSummary {
  asset: string;
  kind: AssetKind;
  /** `2024-05-01..2024-05-07 (7)`, one key, or `-` for an unpartitioned asset. */
  partitions: string;
  /** Partition steps (one per partition, or one for an unpartitioned asset). */
  steps: number;
  succeeded: number;
  failed: number;
  /** Not run: an upstream step failed, or the run was canceled. */
  notRun: number;
  /** Rows written; null where rows mean nothing (views). */
  rows: number | null;
  requests: number;
  startedAt: string | null;
  endedAt: string | null;
  /** From its first step's start to its last step's end. */
  spanMs: number;
}

export type CheckOutcome = 'passed' | 'warned' | 'failed' | 'errored' | 'not run';

export interface CheckRunSummary {
  /** Check executions (a check on a daily asset runs once per partition). */
  total: number;
  counts: Record<CheckOutcome, number>;
  /** Every check that did not pass, most severe first. */
  notable: { check: string; partition: string | null; outcome: Exclude<CheckOutcome, 'passed'>; message: string }[];
}

/** Failed steps that failed the same way, folded: one message, one hint, every step named. */
export interface FailureGroup {
  code: string;
  message: string;
  hint?: string;
  /** Step ids (`asset` or `asset[partition]`), in run order. */
  steps: string[];
}

export interface RunDigest {
  /** Partition steps: what `gmp runs` counts for the same run. */
  stepCount: number;
  /** Assets other than checks, in graph order. */
  assets: AssetRunSummary[];
  checks: CheckRunSummary;
  failures: FailureGroup[];
  /** Partition steps not run (upstream failed, or canceled). */
  notRun: number;
}

const partitionsOf = (r: StepResult): number => r.step.range?.length ?? 1;

/**
 * Folds a run's step results into what a person reads: per asset (partitions, rows, requests,
 * span), the checks by outcome with every one that did not pass, and failures grouped by cause.
 * Pure: `kindOf` names each asset's kind.
 */
export function summarizeRun(results: readonly StepResult[], kindOf: (asset: string) => AssetKind): RunDigest {
  const assets = new Map<string, AssetRunSummary & { keys: string[] }>();
  const checks: CheckRunSummary = { total: 0, counts: { passed: 0, warned: 0, failed: 0, errored: 0, 'not run': 0 }, notable: [] };
  const groups = new Map<string, FailureGroup>();
  let notRun = 0;
  for (const r of results) {
    const n = partitionsOf(r);
    const kind = kindOf(r.step.asset);
    if (r.status === 'skipped' || r.status === 'canceled') notRun += n;
    if (kind === 'check') {
      const outcome = checkOutcome(r);
      checks.total += n;
      checks.counts[outcome] += n;
      if (outcome !== 'passed' && outcome !== 'not run') {
        checks.notable.push({ check: r.step.asset, partition: r.step.partition, outcome, message: checkMessage(r, outcome) });
      }
    } else {
      const a = assets.get(r.step.asset) ?? {
        asset: r.step.asset, kind, partitions: '-', steps: 0, succeeded: 0, failed: 0, notRun: 0,
        rows: kind === 'view' ? null : 0, requests: 0, startedAt: null, endedAt: null, spanMs: 0, keys: [],
      };
      a.steps += n;
      if (r.status === 'succeeded') a.succeeded += n;
      else if (r.status === 'failed') a.failed += n;
      else a.notRun += n;
      if (a.rows !== null) a.rows += r.result?.rows ?? 0;
      a.requests += r.result?.requests ?? 0;
      a.keys.push(...(r.step.range ?? (r.step.partition === null ? [] : [r.step.partition])));
      if (r.status !== 'skipped' && r.status !== 'canceled' && r.startedAt && r.endedAt) {
        if (a.startedAt === null || r.startedAt < a.startedAt) a.startedAt = r.startedAt;
        if (a.endedAt === null || r.endedAt > a.endedAt) a.endedAt = r.endedAt;
      }
      assets.set(r.step.asset, a);
    }
    if (r.status === 'failed' && r.error && !(kind === 'check' && checkOutcome(r) === 'failed')) addFailure(groups, r.step.id, r.error);
  }
  const order: Record<Exclude<CheckOutcome, 'passed'>, number> = { failed: 0, errored: 1, warned: 2, 'not run': 3 };
  checks.notable.sort((a, b) => order[a.outcome] - order[b.outcome] || a.check.localeCompare(b.check) || String(a.partition).localeCompare(String(b.partition)));
  return {
    stepCount: results.reduce((n, r) => n + partitionsOf(r), 0),
    assets: [...assets.values()].map(({ keys, ...a }) => ({
      ...a,
      partitions: describePartitions(keys.length === 0 ? null : [...new Set(keys)].sort()),
      spanMs: a.startedAt && a.endedAt ? Date.parse(a.endedAt) - Date.parse(a.startedAt) : 0,
    })),
    checks,
    failures: [...groups.values()],
    notRun,
  };
}

function checkOutcome(r: StepResult): CheckOutcome {
  if (r.status === 'succeeded') return r.result?.metadata?.status === 'warned' ? 'warned' : 'passed';
  if (r.status !== 'failed') return 'not run';
  const root = rootCause(r.error);
  return root instanceof ModelError && root.context.check_status === 'failed' ? 'failed' : 'errored';
}

function checkMessage(r: StepResult, outcome: CheckOutcome): string {
  if (outcome === 'warned') {
    // A check that measures rather than counts rows (ML drift) says what it found itself.
    const message = r.result?.metadata?.message;
    return typeof message === 'string' ? message : `${Number(r.result?.metadata?.failing ?? 0)} row(s) violate it`;
  }
  const root = rootCause(r.error);
  return root instanceof Error ? root.message : String(root);
}

/** Same code, hint and message once URLs and days are set aside: the same failure. */
function addFailure(groups: Map<string, FailureGroup>, stepId: string, error: GmpError): void {
  const root = rootCause(error);
  const code = root instanceof Error && 'code' in root ? String(root.code) : error.code;
  const message = root instanceof Error ? root.message : String(root);
  const hint = error.hint;
  const key = [code, hint ?? '', message.replace(/https?:\/\/\S+/g, '<url>').replace(/\d{4}-\d{2}-\d{2}(?:T\d{2})?/g, '<day>')].join('\u0000');
  const group = groups.get(key) ?? { code, message, ...(hint ? { hint } : {}), steps: [] };
  group.steps.push(stepId);
  groups.set(key, group);
}
