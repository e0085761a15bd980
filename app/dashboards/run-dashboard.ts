import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/index.js';
import type { Row, SqlParam } from '../../warehouse/index.js';
import { dataVersion, withReader, type DataVersion, type Reader } from '../market/index.js';
import { csvLine } from '../csv.js';
import { pullChunks } from '../pull-chunks.js';
import { dashboardsDirOf, type Workspace } from '../workspace.js';
import { parseDashboard, type Dashboard, type DashboardInput, type DashboardProblem, type DashboardQuery } from './parse-dashboard.js';

/** A page as read from its file: the dashboard, and every problem found in its text. */
export interface DashboardFile {
  dashboard: Dashboard;
  problems: DashboardProblem[];
}

/** Rows a chart draws at most; the CSV export carries them all. */
export const CHART_MAX_ROWS = 5000;
/** A page's queries together stop after this long (each chart then says so). */
export const DASHBOARD_TIMEOUT_MS = 30_000;

const parsed = new Map<string, { key: string; file: DashboardFile }>();

/** Every `*.md` page of the dashboards folder, read afresh when its file changed (a page added appears on reload). */
export async function listDashboards(ws: Workspace): Promise<DashboardFile[]> {
  const dir = dashboardsDirOf(ws.config);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const files = await Promise.all(names.filter((n) => n.endsWith('.md') && !n.startsWith('.')).map((n) => readDashboard(path.join(dir, n))));
  return files.sort((a, b) => a.dashboard.order - b.dashboard.order || a.dashboard.title.localeCompare(b.dashboard.title));
}

/** One page by name (its file name without `.md`); NOT_FOUND names the pages there are. */
export async function getDashboard(ws: Workspace, name: string): Promise<DashboardFile> {
  const all = await listDashboards(ws);
  const found = all.find((d) => d.dashboard.name === name);
  if (!found) {
    throw new UsageError(`no dashboard "${name}"`, {
      code: 'NOT_FOUND',
      hint: all.length ? `pages: ${all.map((d) => d.dashboard.name).join(', ')}` : `add a Markdown page to ${dashboardsDirOf(ws.config)}`,
    });
  }
  return found;
}

async function readDashboard(file: string): Promise<DashboardFile> {
  const info = await stat(file);
  const key = `${info.mtimeMs}:${info.size}`;
  const cached = parsed.get(file);
  if (cached?.key === key) return cached.file;
  const result = parseDashboard(file, await readFile(file, 'utf8'));
  parsed.set(file, { key, file: result });
  return result;
}

/** An input with the value the page runs with, and (for a dropdown) its choices. */
export interface InputState {
  input: DashboardInput;
  value: string | number | null;
  options: { value: string; label: string }[];
}

export interface QueryOutcome {
  query: DashboardQuery;
  columns: string[];
  rows: Row[];
  /** More rows than CHART_MAX_ROWS exist (the CSV has them all). */
  truncated: boolean;
  error: { message: string; line: number } | null;
}

export interface DashboardRun {
  dashboard: Dashboard;
  problems: DashboardProblem[];
  inputs: InputState[];
  /** By query name: every query a chart draws or a dropdown lists. */
  results: Map<string, QueryOutcome>;
  data: DataVersion | null;
  /** The inputs as URL parameters, for links (CSV, a shared view). */
  search: string;
}

/**
 * Runs a page for the given input values (from the URL): dropdown choices first, then every
 * query a chart draws, each value bound as a parameter. A failing query fails its charts only.
 */
export async function runDashboard(ws: Workspace, name: string, given: Readonly<Record<string, string | undefined>> = {}, options: { signal?: AbortSignal; everyQuery?: boolean } = {}): Promise<DashboardRun> {
  const { dashboard, problems } = await getDashboard(ws, name);
  const signal = withTimeout(options.signal);
  const results = new Map<string, QueryOutcome>();
  const [data, inputs] = await Promise.all([
    dataVersion(ws),
    withReader(ws, async (w) => {
      const states = await resolveInputs(w, dashboard, given, results, signal);
      const wanted = options.everyQuery ? [...dashboard.queries.keys()] : dashboard.charts.map((c) => c.data);
      for (const queryName of wanted) {
        const query = dashboard.queries.get(queryName);
        if (query && !results.has(query.name)) results.set(query.name, await runQuery(w, query, states, signal));
      }
      return [...states.values()];
    }),
  ]);
  return { dashboard, problems, inputs, results, data, search: inputSearch(inputs) };
}

/** The inputs' values as URL parameters (defaults and "all" left out), for the CSV links and a shared view. */
export function inputSearch(inputs: readonly InputState[]): string {
  const params = new URLSearchParams();
  for (const s of inputs) if (s.value !== null && String(s.value) !== (s.input.props.default ?? '')) params.set(s.input.name, String(s.value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Each input's value for `given`, in page order: a dropdown's choices may depend on the inputs above it. */
async function resolveInputs(w: Reader, dashboard: Dashboard, given: Readonly<Record<string, string | undefined>>, results: Map<string, QueryOutcome>, signal: AbortSignal): Promise<Map<string, InputState>> {
  const states = new Map<string, InputState>();
  for (const input of dashboard.inputs) {
    const source = input.kind === 'Dropdown' && input.props.data ? dashboard.queries.get(input.props.data) : undefined;
    if (source && !results.has(source.name)) results.set(source.name, await runQuery(w, source, states, signal));
    states.set(input.name, resolveInput(input, given[input.name], source ? results.get(source.name) : undefined));
  }
  return states;
}

function resolveInput(input: DashboardInput, raw: string | undefined, source: QueryOutcome | undefined): InputState {
  const text = raw?.trim().slice(0, 200);
  const fallback = input.props.default;
  if (input.kind === 'Slider') {
    const min = Number(input.props.min);
    const max = Number(input.props.max);
    const n = Number(text === undefined || text === '' ? (fallback ?? min) : text);
    return { input, value: Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : Number(fallback ?? min), options: [] };
  }
  if (input.kind === 'TextInput') return { input, value: text || fallback || null, options: [] };
  const options = input.props.options
    ? input.props.options.split(',').map((o) => o.trim()).filter(Boolean).map((o) => ({ value: o, label: o }))
    : (source?.rows ?? []).map((r) => ({ value: String(r[input.props.value ?? ''] ?? ''), label: String(r[input.props.label ?? input.props.value ?? ''] ?? '') })).filter((o) => o.value !== '');
  const wanted = text || fallback || null;
  // A value the list does not hold (an old link, a typo) shows everything rather than nothing.
  const value = wanted !== null && options.some((o) => o.value === wanted) ? wanted : input.props.all === 'false' ? (options[0]?.value ?? null) : null;
  return { input, value, options };
}

async function runQuery(w: Reader, query: DashboardQuery, inputs: ReadonlyMap<string, InputState>, signal: AbortSignal): Promise<QueryOutcome> {
  const params: SqlParam[] = query.params.map((p) => inputs.get(p)?.value ?? null);
  const sql = `SELECT * FROM (\n${query.sql}\n) AS dashboard_query LIMIT ${CHART_MAX_ROWS + 1}`;
  try {
    const table = w.queryTable ? await w.queryTable(sql, { params, signal }) : await w.query(sql, { params, signal }).then((rows) => ({ rows, columns: rows[0] ? Object.keys(rows[0]) : [] }));
    return { query, columns: table.columns, rows: table.rows.slice(0, CHART_MAX_ROWS), truncated: table.rows.length > CHART_MAX_ROWS, error: null };
  } catch (error) {
    const message = signal.aborted ? `stopped after ${DASHBOARD_TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    return { query, columns: [], rows: [], truncated: false, error: { message, line: query.line } };
  }
}

function withTimeout(signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(DASHBOARD_TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * Every row of one chart's query for the page's inputs, streamed as CSV (a header first), the
 * values bound as on the page; the engine's next chunk is read only once the last one was taken,
 * so memory stays flat. `chart` is the chart's position on the page, from 0.
 */
export async function* dashboardChartCsv(ws: Workspace, name: string, chart: number, given: Readonly<Record<string, string | undefined>> = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<string> {
  const { dashboard } = await getDashboard(ws, name);
  const target = dashboard.charts[chart];
  const query = target && dashboard.queries.get(target.data);
  if (!query) throw new UsageError(`dashboard ${name} has no chart ${chart}`, { code: 'NOT_FOUND', hint: `its charts are numbered 0 to ${Math.max(0, dashboard.charts.length - 1)}` });
  const signal = options.signal;
  yield* pullChunks<string>(async (push) =>
    withReader(ws, async (w) => {
      // Dropdown values are checked against their lists, exactly as the page does.
      const values = await resolveInputs(w, dashboard, given, new Map(), withTimeout(signal));
      const params = query.params.map((p) => values.get(p)?.value ?? null);
      const opts = { params, ...(signal ? { signal } : {}) };
      if (!w.eachChunk) {
        const rows = await w.query(query.sql, opts);
        const columns = rows[0] ? Object.keys(rows[0]) : [];
        return push(csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join(''));
      }
      let header = false;
      await w.eachChunk(query.sql, opts, async (columns, rows) => {
        await push((header ? '' : csvLine(columns)) + rows.map((r) => csvLine(r)).join(''));
        header = true;
      });
      if (!header) await push(csvLine((await w.queryTable?.(`SELECT * FROM (\n${query.sql}\n) AS q LIMIT 0`, { params }))?.columns ?? []));
    }),
  );
}
