import type { AssetRunSummary, FailureGroup, PlanReport, RunDetail, RunSummary } from '../app/index.js';
import { formatCount, formatDuration, formatTable } from './output.js';

export interface RunReportText {
  /** Failures first, with their hints: for stderr. Empty when nothing failed. */
  failures: string;
  /** The summary: for stdout. Empty when nothing ran (every step failed or was held back). */
  summary: string;
}

export interface RunReportOptions {
  /** Today's full per-asset table (checks and their partitions included) instead of the summary. */
  verbose?: boolean;
  /** Fold SQL models into one line per layer (the demo lists its marts' rows itself). */
  foldModels?: boolean;
}

const MODEL_KINDS = new Set(['view', 'table', 'partitioned', 'incremental']);
/** Failure groups shown before pointing at `gmp runs show`. */
const MAX_FAILURE_GROUPS = 5;

/**
 * What a person reads after a run: the failures (grouped by cause, each with its hint) for stderr,
 * and for stdout a headline, one line per asset (partitions, rows, requests, wall-clock span),
 * the checks folded into one line per outcome with every check that did not pass named, and the
 * run's warnings.
 */
export function formatRunReport(run: RunSummary, options: RunReportOptions = {}): RunReportText {
  const d = run.digest;
  // Observing external assets (the collector's events) moves no data: alone, it is not a run that ran.
  const ran = d.assets.some((a) => a.succeeded > 0 && a.kind !== 'external');
  const failed = d.assets.reduce((n, a) => n + a.failed, 0) + d.checks.counts.failed + d.checks.counts.errored;
  const headline = `run ${run.runId} ${run.status} in ${formatDuration(run.durationMs)}: ${formatCount(d.stepCount)} steps, ${formatCount(run.requests)} API requests`;
  const failures = d.failures.length === 0 && run.status !== 'failed' ? '' : formatFailures(run, failed);
  if (!ran && !options.verbose) return { failures, summary: '' };
  const lines = [headline];
  if (options.verbose) lines.push(verboseTable(run));
  else lines.push(assetTable(d.assets, options.foldModels ?? false));
  lines.push(...checkLines(run));
  lines.push(...warningLines(run));
  return { failures, summary: lines.join('\n') };
}

function formatFailures(run: RunSummary, failed: number): string {
  const d = run.digest;
  const lines = [
    `✗ run ${run.runId} ${run.status} in ${formatDuration(run.durationMs)}: ${formatCount(failed)} of ${formatCount(d.stepCount)} steps failed` +
      (d.notRun > 0 ? `, ${formatCount(d.notRun)} not run (upstream failed${run.status === 'canceled' ? ' or canceled' : ''})` : ''),
  ];
  for (const group of d.failures.slice(0, MAX_FAILURE_GROUPS)) lines.push(...failureGroupLines(group));
  const notable = foldChecks(d.checks.notable.filter((c) => c.outcome === 'failed'));
  for (const c of notable.slice(0, MAX_FAILURE_GROUPS)) lines.push(`✗ ${c.check}${c.where}: ${c.message}`);
  const hidden = Math.max(0, d.failures.length - MAX_FAILURE_GROUPS) + Math.max(0, notable.length - MAX_FAILURE_GROUPS);
  if (hidden > 0) lines.push(`  … ${hidden} more; every step: gmp runs show ${run.runId}`);
  return lines.join('\n');
}

function failureGroupLines(group: FailureGroup): string[] {
  const [first, ...rest] = group.steps;
  const lines = [`✗ ${first}: ${group.message}`];
  if (rest.length > 0) lines.push(`  and ${rest.length} more step(s) failed the same way: ${foldStepIds(rest)}`);
  if (group.hint) lines.push(`  hint: ${group.hint}`);
  return lines;
}

/** `rawg/games ×7, rawg/genres, …`: step ids folded per asset, at most a line's worth. */
function foldStepIds(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const asset = id.replace(/\[.*\]$/, '');
    counts.set(asset, (counts.get(asset) ?? 0) + 1);
  }
  const parts = [...counts].map(([asset, n]) => (n > 1 ? `${asset} ×${n}` : asset));
  const shown: string[] = [];
  let width = 0;
  for (const p of parts) {
    if (width + p.length > 70 && shown.length > 0) {
      shown.push(`+${parts.length - shown.length} more assets`);
      break;
    }
    shown.push(p);
    width += p.length + 2;
  }
  return shown.join(', ');
}

const dash = (n: number | null, zeroIsDash = false): number | string => (n === null || (zeroIsDash && n === 0) ? '-' : n);
const clock = (iso: string | null): string => (iso === null ? '-' : iso.slice(11, 19));

function assetRow(a: AssetRunSummary): Record<string, unknown> {
  return {
    asset: a.asset,
    partitions: a.partitions,
    ok: a.succeeded === a.steps ? 'ok' : `${a.succeeded}/${a.steps}`,
    rows: dash(a.rows),
    requests: dash(a.requests, a.kind !== 'ingestion'),
    started: clock(a.startedAt),
    span: a.startedAt === null ? '-' : formatDuration(a.spanMs),
  };
}

function assetTable(assets: readonly AssetRunSummary[], foldModels: boolean): string {
  if (!foldModels) return formatTable(assets.map(assetRow));
  const rows: Record<string, unknown>[] = [];
  const layers = new Map<string, AssetRunSummary[]>();
  for (const a of assets) {
    // A model that did not fully succeed keeps its own line.
    if (!MODEL_KINDS.has(a.kind) || a.succeeded !== a.steps) {
      rows.push(assetRow(a));
      continue;
    }
    const layer = a.asset.split('/')[0]!;
    layers.set(layer, [...(layers.get(layer) ?? []), a]);
  }
  for (const [layer, models] of layers) {
    const started = models.map((m) => m.startedAt).filter((t): t is string => t !== null).sort()[0] ?? null;
    const ended = models.map((m) => m.endedAt).filter((t): t is string => t !== null).sort().pop() ?? null;
    const tables = models.filter((m) => m.rows !== null);
    rows.push({
      asset: `${layer}/* (${models.length} model${models.length === 1 ? '' : 's'})`,
      partitions: '',
      ok: 'ok',
      rows: tables.length === 0 ? '-' : tables.reduce((n, m) => n + m.rows!, 0),
      requests: '-',
      started: clock(started),
      span: started && ended ? formatDuration(Date.parse(ended) - Date.parse(started)) : '-',
    });
  }
  return formatTable(rows);
}

function checkLines(run: RunSummary): string[] {
  const c = run.digest.checks;
  if (c.total === 0) return [];
  const parts = (['passed', 'warned', 'failed', 'errored', 'not run'] as const).filter((k) => c.counts[k] > 0).map((k) => `${formatCount(c.counts[k])} ${k}`);
  const lines = [`${formatCount(c.total)} checks: ${parts.join(', ')}`];
  // Failed ones are listed with the failures (stderr); the rest that did not pass, here.
  for (const n of foldChecks(c.notable.filter((x) => x.outcome !== 'failed'))) lines.push(`  ${n.outcome.padEnd(7)} ${n.check}${n.where}: ${n.message}`);
  return lines;
}

/** Partitions named before "+N more". */
const MAX_PARTITIONS_NAMED = 4;

/**
 * One line per (check, outcome): a check that warned on 38 days is one line naming the first few
 * days, not 38 lines. The message is kept when every partition says the same.
 */
function foldChecks(notable: RunSummary['digest']['checks']['notable']): { check: string; outcome: string; where: string; message: string }[] {
  const groups = new Map<string, { check: string; outcome: string; partitions: string[]; messages: Set<string> }>();
  for (const n of notable) {
    const key = `${n.outcome} ${n.check}`;
    const g = groups.get(key) ?? { check: n.check, outcome: n.outcome, partitions: [], messages: new Set<string>() };
    if (n.partition !== null) g.partitions.push(n.partition);
    g.messages.add(n.message);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const named = g.partitions.slice(0, MAX_PARTITIONS_NAMED).join(', ') + (g.partitions.length > MAX_PARTITIONS_NAMED ? `, +${g.partitions.length - MAX_PARTITIONS_NAMED} more` : '');
    const where = g.partitions.length === 0 ? '' : g.partitions.length === 1 ? `[${named}]` : ` on ${g.partitions.length} partitions (${named})`;
    const message = g.messages.size === 1 ? [...g.messages][0]! : `${[...g.messages][0]!} (and ${g.messages.size - 1} other result(s); gmp status has each)`;
    return { check: g.check, outcome: g.outcome, where, message };
  });
}

function warningLines(run: RunSummary): string[] {
  if (run.warnings.length === 0) return [];
  return [
    `${run.warnings.reduce((n, w) => n + w.count, 0)} warning(s) (details in the run log):`,
    ...run.warnings.map((w) => `  ⚠ ${w.message}${w.count > 1 ? ` ×${w.count}` : ''}${w.where.length > 0 ? ` (${foldStepIds(w.where)})` : ''}`),
  ];
}

/** `--verbose`: every asset, checks included, with partitions ok, rows, pages, requests and time. */
function verboseTable(run: RunSummary): string {
  const byAsset = new Map<string, { asset: string; steps: number; ok: number; rows: number; pages: number; requests: number; ms: number }>();
  for (const s of run.steps) {
    const row = byAsset.get(s.step.asset) ?? { asset: s.step.asset, steps: 0, ok: 0, rows: 0, pages: 0, requests: 0, ms: 0 };
    const n = s.step.range?.length ?? 1;
    row.steps += n;
    if (s.status === 'succeeded') row.ok += n;
    row.rows += s.result?.rows ?? 0;
    row.pages += s.result?.pages ?? 0;
    row.requests += s.result?.requests ?? 0;
    row.ms += s.durationMs;
    byAsset.set(s.step.asset, row);
  }
  const kinds = new Map(run.digest.assets.map((a) => [a.asset, a.kind]));
  return formatTable(
    [...byAsset.values()].map((r) => ({
      asset: r.asset,
      ok: `${r.ok}/${r.steps}`,
      rows: kinds.get(r.asset) === 'view' ? '-' : r.rows,
      pages: r.pages,
      requests: r.requests,
      time: formatDuration(r.ms),
    })),
  );
}

/** Writes a run report: failures to stderr first, then the summary to stdout. */
export function printRunReport(run: RunSummary, options: RunReportOptions = {}): void {
  const { failures, summary } = formatRunReport(run, options);
  if (failures) process.stderr.write(`${failures}\n`);
  if (summary) process.stdout.write(`${summary}\n`);
}

/** `gmp runs show`: the run's header, a table of its steps and its event log. */
export function formatRunDetail(run: RunDetail): string {
  const took = run.endedAt ? formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)) : 'still running (or killed)';
  const steps = formatTable(
    run.steps.map((s) => ({
      step: s.partition === null ? s.asset : `${s.asset}[${s.partition}]`,
      status: s.status,
      rows: s.rows,
      pages: s.pages,
      requests: s.requests,
      time: formatDuration(s.durationMs),
      error: s.error ?? '',
    })),
  );
  const events = run.events.map(
    (e) => `${e.ts}  ${e.type.padEnd(12)} ${e.asset ?? ''}${e.partition ? `[${e.partition}]` : ''}${e.message ? `  ${e.message}` : ''}`,
  );
  return [
    `run ${run.runId} (${run.kind}) ${run.status}, ${took}`,
    `selection: ${run.selection}   partitions: ${run.partitions}`,
    ...(run.error ? [`error: ${run.error}`] : []),
    '',
    steps,
    '',
    'events:',
    ...events,
  ].join('\n');
}

/**
 * A dry run: per asset (checks folded into one line), its partitions and what is up to date, then
 * the estimated API requests with their range and basis against what remains of the budget.
 */
export function formatPlan(plan: PlanReport, skipsMaterialized: boolean): string {
  const assets = plan.assets.filter((a) => a.kind !== 'check');
  const checks = plan.assets.filter((a) => a.kind === 'check');
  const table = formatTable(
    assets.map((a) => ({
      asset: a.asset,
      partitions: a.from === null ? '-' : a.from === a.to ? a.from : `${a.from}..${a.to}`,
      steps: a.steps,
      'up to date': a.materialized,
      'to run': skipsMaterialized ? a.toRun : a.steps,
    })),
  );
  const total = plan.assets.reduce((n, a) => n + a.steps, 0);
  const toRun = skipsMaterialized ? plan.toRun : total;
  const lines = [`plan: ${formatCount(total)} steps, ${formatCount(toRun)} to run`, table];
  if (checks.length > 0) {
    const runs = checks.reduce((n, a) => n + (skipsMaterialized ? a.toRun : a.steps), 0);
    lines.push(`+ ${checks.length} checks on ${new Set(checks.map((c) => c.asset.split('/').slice(1, -1).join('/'))).size} assets (${formatCount(runs)} check steps to run)`);
  }
  if (plan.materialized > 0) {
    lines.push(
      skipsMaterialized
        ? `${formatCount(plan.materialized)} step(s) up to date will be skipped (--force runs them too)`
        : `${formatCount(plan.materialized)} step(s) are already up to date; materialize runs them again`,
    );
  }
  if (plan.budget) lines.push(...budgetLines(plan.budget));
  lines.push('dry run: nothing was executed');
  return lines.join('\n');
}

function budgetLines(budget: NonNullable<PlanReport['budget']>): string[] {
  const { estimate, budgets } = budget;
  const lines: string[] = [];
  for (const b of budgets) {
    const need = estimate.bySource[b.source] ?? 0;
    const mine = estimate.assets.filter((a) => a.source === b.source);
    const low = mine.reduce((n, a) => n + a.low, 0);
    const high = mine.reduce((n, a) => n + a.high, 0);
    const range = low === high ? '' : ` (likely ${formatCount(low)}–${formatCount(high)})`;
    const limits = `${formatCount(b.usage.month)} of ${formatCount(b.limits.perMonth)} used this month${b.limits.perDay === undefined ? '' : `, ${formatCount(b.usage.day)} of ${formatCount(b.limits.perDay)} today`}`;
    const verdict = need > b.remaining ? ' — OVER BUDGET' : high > b.remaining ? ' — may not fit: the high end exceeds what remains' : '';
    lines.push(`API requests: ~${formatCount(need)}${range} to ${b.endpoint}; ${formatCount(b.remaining)} remain (${limits})${verdict}`);
    for (const a of mine) {
      const basis = a.basis.map((x) => (a.basis.length > 1 ? `${x.basis} (${x.steps} steps)` : x.basis)).join(' + ');
      const spread = a.low === a.high ? '' : ` (${formatCount(a.low)}–${formatCount(a.high)})`;
      lines.push(`  ${a.asset}: ~${formatCount(a.requests)}${spread} for ${formatCount(a.steps)} steps, from ${basis}${a.note ? `; ${a.note}` : ''}`);
    }
  }
  if (estimate.probeRequests > 0) lines.push(`  (${estimate.probeRequests} request(s) spent on count probes, charged to the ledger)`);
  return lines;
}
