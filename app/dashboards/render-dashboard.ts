import path from 'node:path';
import { escapeHtml as e } from '../docs/index.js';
import { missingColumns, type DashboardChart, type DashboardProblem } from './parse-dashboard.js';
import { renderChartBody } from './render-chart.js';
import type { DashboardRun, InputState } from './run-dashboard.js';

export interface RenderOptions {
  /** A page in gmp serve: a filter form and CSV links. An export shows the filters as text. */
  interactive: boolean;
  /** False inside a page with its own title and provenance (the live-ops page): no title, lede or provenance line. */
  header?: boolean;
}

/** The page's content (no frame): its problems, filters, prose and charts, in file order. */
export function renderDashboardBody(run: DashboardRun, options: RenderOptions): string {
  const { dashboard } = run;
  const parts: string[] = [];
  const header = options.header !== false;
  if (header) parts.push(`<h1>${e(dashboard.title)}</h1>`);
  if (header && dashboard.description) parts.push(`<p class="lede">${e(dashboard.description)}</p>`);
  if (!header) {
    // The embedding page says where its data comes from.
  } else if (run.data) {
    const at = `${run.data.publishedAt.slice(0, 10)} ${run.data.publishedAt.slice(11, 19)}`;
    parts.push(`<p class="muted" id="provenance">Data from run ${options.interactive ? `<a href="/runs/${e(run.data.runId)}">${e(run.data.runId)}</a>` : e(run.data.runId)}, published ${e(at)} UTC.</p>`);
  } else {
    parts.push('<p class="notice">No run has built the marts yet: run <code>gmp demo</code> or <code>gmp materialize</code>, then reload.</p>');
  }
  if (run.problems.length > 0) parts.push(renderProblems(run.problems));
  if (!options.interactive && run.inputs.length > 0) {
    parts.push(`<p class="muted">Filters: ${run.inputs.map((s) => `${e(s.input.props.title ?? s.input.name)} = ${e(s.value === null ? 'all' : String(s.value))}`).join(' · ')}</p>`);
  }
  let form: string[] = [];
  const flushForm = (): void => {
    if (form.length === 0) return;
    parts.push(`<form class="dash-inputs" method="get">${form.join('')}<button type="submit">Apply</button></form>`);
    form = [];
  };
  for (const block of dashboard.blocks) {
    if (block.type === 'input') {
      if (options.interactive) form.push(renderInput(run.inputs.find((s) => s.input === block.input)!));
      continue;
    }
    flushForm();
    if (block.type === 'markdown') parts.push(renderMarkdown(block.text));
    else parts.push(renderChart(run, block.chart, options));
  }
  flushForm();
  return `<div class="dashboard">${parts.join('\n')}</div>`;
}

/** Every problem of a page, each with `file:line`. */
export function renderProblems(problems: readonly DashboardProblem[]): string {
  return `<div class="dash-error" role="alert"><strong>This page has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:</strong><ul>${problems
    .map((p) => `<li><code>${e(path.basename(p.file))}:${p.line}</code> ${e(p.message)}</li>`)
    .join('')}</ul></div>`;
}

function renderChart(run: DashboardRun, chart: DashboardChart, options: RenderOptions): string {
  const outcome = run.results.get(chart.data);
  const title = chart.props.title ?? (chart.kind === 'BigValue' ? chart.props.value! : `${chart.props.y ?? chart.data}${chart.props.x ? ` by ${chart.props.x}` : ''}`);
  const csv = `/dashboards/${encodeURIComponent(run.dashboard.name)}/charts/${chart.index}.csv${run.search}`;
  const head = `<header><h2>${e(title)}</h2>${options.interactive && outcome && !outcome.error ? `<a class="csv" href="${e(csv)}" download>CSV</a>` : ''}</header>`;
  let body: string;
  if (!outcome) body = '<p class="muted">Not drawn: the page has problems above.</p>';
  else if (outcome.error) body = `<div class="dash-error" role="alert"><code>${e(path.basename(run.dashboard.file))}:${outcome.error.line}</code> query ${e(outcome.query.name)} failed: ${e(outcome.error.message)}</div>`;
  else {
    const missing = missingColumns(chart.props, outcome.columns).map(([, column]) => column);
    body = missing.length
      ? `<div class="dash-error" role="alert"><code>${e(path.basename(run.dashboard.file))}:${chart.line}</code> query ${e(chart.data)} has no column ${missing.map((m) => `"${e(m)}"`).join(', ')} (it has ${e(outcome.columns.join(', '))})</div>`
      : renderChartBody(chart, outcome.rows, { links: options.interactive }) + (outcome.truncated ? `<p class="muted">The chart draws the first ${outcome.rows.length.toLocaleString('en-US')} rows; the CSV has them all.</p>` : '');
  }
  const sql = outcome ? `<details class="sql"><summary>Show SQL</summary><pre><code>${e(outcome.query.source)}</code></pre></details>` : '';
  return `<section class="dash-chart ${chart.kind === 'BigValue' ? 'kpi' : ''}" id="chart-${chart.index}" data-kind="${chart.kind}" data-query="${e(chart.data)}">${head}${body}${sql}</section>`;
}

function renderInput(state: InputState): string {
  const { input } = state;
  const id = `input-${input.name}`;
  const label = e(input.props.title ?? input.name);
  if (input.kind === 'Dropdown') {
    const all = input.props.all === 'false' ? '' : `<option value=""${state.value === null ? ' selected' : ''}>All</option>`;
    return `<label for="${id}">${label}<select id="${id}" name="${e(input.name)}">${all}${state.options
      .map((o) => `<option value="${e(o.value)}"${o.value === state.value ? ' selected' : ''}>${e(o.label)}</option>`)
      .join('')}</select></label>`;
  }
  if (input.kind === 'TextInput') {
    return `<label for="${id}">${label}<input id="${id}" type="search" name="${e(input.name)}" value="${e(state.value ?? '')}" placeholder="${e(input.props.placeholder ?? '')}" maxlength="200"/></label>`;
  }
  return `<label for="${id}">${label} <output for="${id}">${e(String(state.value))}</output><input id="${id}" type="range" name="${e(input.name)}" min="${e(input.props.min)}" max="${e(input.props.max)}" step="${e(input.props.step ?? '1')}" value="${e(String(state.value))}"/></label>`;
}

/** The Markdown pages write: headings, paragraphs, lists, **bold**, *italic*, `code`, [links](…), code blocks; everything escaped. */
export function renderMarkdown(text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = (): void => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (list.length) out.push(`<ul>${list.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`);
    paragraph = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().startsWith('```')) {
      flush();
      const end = lines.findIndex((l, n) => n > i && l.trim() === '```');
      out.push(`<pre><code>${e(lines.slice(i + 1, end < 0 ? lines.length : end).join('\n'))}</code></pre>`);
      i = end < 0 ? lines.length : end;
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(4, heading[1]!.length + 1);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      if (paragraph.length) flush();
      list.push(line.replace(/^\s*[-*]\s+/, ''));
    } else if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return out.join('\n');
}

function inline(source: string): string {
  return e(source)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, href: string) => (/^(https?:\/\/|\/(?!\/)|#)/.test(href.replace(/&amp;/g, '&')) ? `<a href="${href}">${label}</a>` : label));
}
