import type { PlanReport, RunDetail, RunSummary } from '../orchestration/index.js';
import { formatDuration, formatTable } from './output.js';

/** A per-asset summary of a run: partitions, rows, pages, requests, time, and every failure. */
export function formatRunReport(run: RunSummary): string {
  const byAsset = new Map<string, { asset: string; steps: number; ok: number; rows: number; pages: number; requests: number; ms: number }>();
  for (const s of run.steps) {
    const row = byAsset.get(s.step.asset) ?? { asset: s.step.asset, steps: 0, ok: 0, rows: 0, pages: 0, requests: 0, ms: 0 };
    row.steps++;
    if (s.status === 'succeeded') row.ok++;
    row.rows += s.result?.rows ?? 0;
    row.pages += s.result?.pages ?? 0;
    row.requests += s.result?.requests ?? 0;
    row.ms += s.durationMs;
    byAsset.set(s.step.asset, row);
  }
  const table = formatTable(
    [...byAsset.values()].map((r) => ({
      asset: r.asset,
      ok: `${r.ok}/${r.steps}`,
      rows: r.rows,
      pages: r.pages,
      requests: r.requests,
      time: formatDuration(r.ms),
    })),
  );
  const failures = run.steps
    .filter((s) => s.status === 'failed')
    .map((s) => `  ✗ ${s.error?.message ?? s.step.id}${s.error?.hint ? `\n    hint: ${s.error.hint}` : ''}`);
  const skipped = run.steps.filter((s) => s.status === 'skipped' || s.status === 'canceled').length;
  const lines = [
    `run ${run.runId} ${run.status} in ${formatDuration(run.durationMs)} — ${run.steps.length} steps, ${run.requests} API requests`,
    table,
  ];
  if (failures.length > 0) lines.push('failures:', ...failures);
  if (skipped > 0) lines.push(`${skipped} step(s) skipped or canceled because an upstream step did not succeed`);
  return lines.join('\n');
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

/** A dry run: per asset, how many steps, which partitions, and how many are already materialized. */
export function formatPlan(plan: PlanReport, skipsMaterialized: boolean): string {
  const table = formatTable(
    plan.assets.map((a) => ({
      asset: a.asset,
      steps: a.steps,
      partitions: a.from === null ? '-' : a.from === a.to ? a.from : `${a.from}..${a.to}`,
      'up to date': a.materialized,
      'to run': skipsMaterialized ? a.toRun : a.steps,
    })),
  );
  const toRun = skipsMaterialized ? plan.toRun : plan.steps.length;
  const lines = [`plan: ${plan.steps.length} steps, ${toRun} to run`, table];
  if (plan.materialized > 0) {
    lines.push(
      skipsMaterialized
        ? `${plan.materialized} step(s) up to date will be skipped (--force runs them too)`
        : `${plan.materialized} step(s) are already up to date; materialize runs them again`,
    );
  }
  if (plan.budget) {
    const { estimate, budgets } = plan.budget;
    for (const b of budgets) {
      const need = estimate.bySource[b.source] ?? 0;
      const limits = `${b.usage.month}/${b.limits.perMonth} this month${b.limits.perDay === undefined ? '' : `, ${b.usage.day}/${b.limits.perDay} today`}`;
      lines.push(`API requests: ~${need} for ${b.source} (${estimate.assets.filter((a) => a.source === b.source).map((a) => `${a.asset}: ${a.requests} by ${a.basis}`).join(', ')}); ${b.remaining} remain (${limits})${need > b.remaining ? ' — OVER BUDGET' : ''}`);
    }
    if (estimate.probeRequests > 0) lines.push(`(${estimate.probeRequests} request(s) spent probing item counts, charged to the budget)`);
  }
  lines.push('dry run: nothing was executed');
  return lines.join('\n');
}
