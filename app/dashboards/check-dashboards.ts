import type { Workspace } from '../workspace.js';
import { missingColumns, type DashboardProblem } from './parse-dashboard.js';
import { listDashboards, runDashboard } from './run-dashboard.js';

export interface DashboardsCheck {
  pages: { name: string; file: string; queries: number; charts: number; problems: number }[];
  /** Every problem of every page, in page then line order. */
  problems: DashboardProblem[];
}

/**
 * Validates every page against the warehouse: its text (components, props, inputs, references),
 * then each query run with the inputs' defaults, then each chart's columns against its query's.
 */
export async function checkDashboards(ws: Workspace, options: { signal?: AbortSignal } = {}): Promise<DashboardsCheck> {
  const pages: DashboardsCheck['pages'] = [];
  const problems: DashboardProblem[] = [];
  for (const file of await listDashboards(ws)) {
    const { dashboard } = file;
    const found: DashboardProblem[] = [...file.problems];
    const add = (line: number, message: string): void => void found.push({ file: dashboard.file, line, message });
    // Every query runs, even one nothing draws yet: the next chart should not find it broken.
    const run = await runDashboard(ws, dashboard.name, {}, { ...options, everyQuery: true });
    for (const outcome of run.results.values()) if (outcome.error) add(outcome.error.line, `query ${outcome.query.name} failed: ${outcome.error.message}`);
    for (const chart of dashboard.charts) {
      const outcome = run.results.get(chart.data);
      if (!outcome || outcome.error) continue;
      for (const [prop, column] of missingColumns(chart.props, outcome.columns)) add(chart.line, `<${chart.kind}> ${prop}=${column}: query ${chart.data} has no such column (it has ${outcome.columns.join(', ')})`);
    }
    for (const input of dashboard.inputs) {
      const outcome = input.props.data ? run.results.get(input.props.data) : undefined;
      if (!outcome || outcome.error) continue;
      for (const [prop, column] of missingColumns(input.props, outcome.columns)) add(input.line, `<${input.kind}> ${prop}=${column}: query ${input.props.data} has no such column (it has ${outcome.columns.join(', ')})`);
    }
    const unique = dedupe(found).sort((a, b) => a.line - b.line);
    problems.push(...unique);
    pages.push({ name: dashboard.name, file: dashboard.file, queries: dashboard.queries.size, charts: dashboard.charts.length, problems: unique.length });
  }
  return { pages, problems };
}

function dedupe(problems: readonly DashboardProblem[]): DashboardProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
