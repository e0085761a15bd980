import { html } from 'hono/html';
import { EVENT_LEVELS, eventLevel, type RunEventRecord, type RunRow, type RunWithStepRecords } from '../../app/index.js';
import { duration, legend, statusBadge, when, type Html } from './layout.js';

const KINDS = ['materialize', 'backfill', 'demo', 'test'];
const STATUSES = ['running', 'succeeded', 'failed', 'canceled'];

/** The runs list: filters in the URL, a row per run, the next page by cursor. */
export function runsPage(runs: readonly RunRow[], next: string | null, filters: { status?: string; kind?: string }): Html {
  const nextHref = next === null ? null : `/runs?${new URLSearchParams({ ...filters, cursor: next } as Record<string, string>)}`;
  return html`<h1>Runs</h1>
    <form class="filters" method="get" action="/runs">
      <label>Status
        <select name="status"><option value="">any</option>${STATUSES.map((s) => html`<option ${filters.status === s ? 'selected' : ''}>${s}</option>`)}</select>
      </label>
      <label>Kind
        <select name="kind"><option value="">any</option>${KINDS.map((k) => html`<option ${filters.kind === k ? 'selected' : ''}>${k}</option>`)}</select>
      </label>
      <button type="submit">Filter</button>
    </form>
    ${runsTable(runs)}
    <div class="pager">${nextHref ? html`<a href="${nextHref}">Older runs →</a>` : html`<span class="muted">No older runs</span>`}</div>`;
}

export function runsTable(runs: readonly RunRow[]): Html {
  if (runs.length === 0) return html`<p class="muted">No runs yet. <a href="/launch">Launch one</a>, or run <code>gmp demo</code>.</p>`;
  return html`<table class="data">
    <thead><tr><th>Run</th><th>Kind</th><th>Status</th><th>Started (UTC)</th><th>Took</th><th>Partitions</th><th class="num">Steps</th><th class="num">Rows</th><th class="num">Requests</th></tr></thead>
    <tbody>
      ${runs.map(
        (r) => html`<tr>
          <td><a href="/runs/${r.runId}">${r.runId}</a></td>
          <td>${r.kind}</td>
          <td>${statusBadge(r.status)}${r.steps.failed > 0 && r.status !== 'failed' ? html` <span class="badge bad">${r.steps.failed} failed</span>` : ''}</td>
          <td>${when(r.startedAt)}</td>
          <td>${r.endedAt ? duration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : '…'}</td>
          <td>${r.partitions}</td>
          <td class="num">${r.steps.succeeded}/${r.steps.total}</td>
          <td class="num">${r.rows}</td>
          <td class="num">${r.requests}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Steps drawn on a shared time axis: one bar per (asset, partition), at most `limit` of them. */
function gantt(run: RunWithStepRecords, limit = 400): Html {
  const steps = [...run.steps].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(0, limit);
  if (steps.length === 0) return html`<p class="muted">No step has finished yet.</p>`;
  const t0 = Date.parse(run.startedAt);
  const t1 = Math.max(...steps.map((s) => Date.parse(s.endedAt)), t0 + 1);
  const width = 1000;
  const label = 330;
  const row = 14;
  const x = (iso: string) => label + ((Date.parse(iso) - t0) / (t1 - t0)) * (width - label - 10);
  const height = steps.length * row + 20;
  return html`<svg class="gantt" viewBox="0 0 ${width} ${height}" role="img" aria-label="${steps.length} steps on a time axis of ${duration(t1 - t0)}">
      ${steps.map((s, i) => {
        const y = i * row + 4;
        const x0 = x(s.startedAt);
        const w = Math.max(2, x(s.endedAt) - x0);
        return html`<g><title>${s.asset}${s.partition ? `[${s.partition}]` : ''}: ${s.status}, ${duration(s.durationMs)}</title>
          <text x="4" y="${y + 10}">${truncate(`${s.asset}${s.partition ? `[${s.partition}]` : ''}`, 46)}</text>
          <rect class="bar-${s.status}" x="${x0.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 4}" rx="2"></rect></g>`;
      })}
      <text x="${label}" y="${height - 4}">0</text><text x="${width - 60}" y="${height - 4}">${duration(t1 - t0)}</text>
    </svg>
    ${legend([['s-succeeded', 'succeeded'], ['s-failed', 'failed'], ['s-canceled', 'skipped or canceled']], run.stepCounts.total > steps.length ? html`<span>first ${steps.length} of ${run.stepCounts.total} steps</span>` : '')}`;
}

const truncate = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** One run: its status (failed checks said plainly), steps on a time axis, events with filters and a live tail. */
export function runPage(run: RunWithStepRecords, events: readonly RunEventRecord[], next: string | null, filters: { type?: string; level?: string; asset?: string; partition?: string; q?: string }, canCancel: boolean): Html {
  const failedSteps = run.failedSteps;
  const more = next === null ? null : `/runs/${run.runId}?${new URLSearchParams({ ...filters, cursor: next } as Record<string, string>)}`;
  return html`<h1>Run <code>${run.runId}</code> <span id="run-status" data-run-id="${run.runId}" data-status="${run.status}">${statusBadge(run.status)}</span></h1>
    ${run.checksFailed > 0 ? html`<p class="notice bad">${run.checksFailed} check step(s) failed: this run did not succeed.</p>` : ''}
    ${run.status === 'abandoned' ? html`<p class="notice bad">Its process is gone (killed, crashed or its machine lost). Re-run the same selection${run.kind === 'backfill' ? ', or resume its backfill' : ''}.</p>` : ''}
    ${run.error ? html`<p class="notice bad">${run.error}</p>` : ''}
    <div class="cards">
      <div class="card"><div class="muted">Kind</div><div>${run.kind}</div></div>
      <div class="card"><div class="muted">Selection</div><div><code>${run.selection}</code></div></div>
      <div class="card"><div class="muted">Partitions</div><div>${run.partitions}</div></div>
      <div class="card"><div class="muted">Started (UTC)</div><div>${when(run.startedAt)}</div></div>
      <div class="card"><div class="muted">Steps</div><div class="big">${run.stepCounts.succeeded}/${run.stepCounts.total}</div></div>
      <div class="card"><div class="muted">Rows · requests</div><div class="big">${run.rows} · ${run.requests}</div></div>
    </div>
    ${canCancel && run.status === 'running' ? html`<p><button type="button" class="danger" data-action="cancel-run" data-run-id="${run.runId}">Cancel run</button> <span id="cancel-result" role="status"></span></p>` : ''}
    <h2>Steps</h2>
    <div class="gantt-wrap" tabindex="0" aria-label="Steps on a time axis (scrollable)">${gantt(run)}</div>
    ${failedSteps.length > 0
      ? html`<h2>Failed steps <small class="muted">${run.stepCounts.failed > 50 ? `the first 50 of ${run.stepCounts.failed}` : run.stepCounts.failed}</small></h2><table class="data"><thead><tr><th>Step</th><th>Error</th></tr></thead><tbody>
          ${failedSteps.slice(0, 50).map((s) => html`<tr><td>${s.asset}${s.partition ? `[${s.partition}]` : ''}</td><td>${s.error ?? ''}</td></tr>`)}
        </tbody></table>`
      : ''}
    <h2>Events</h2>
    <form class="filters" method="get" action="/runs/${run.runId}">
      <label>Level <select name="level"><option value="">any</option>${EVENT_LEVELS.map((l) => html`<option ${filters.level === l ? 'selected' : ''}>${l}</option>`)}</select></label>
      <label>Type <input name="type" value="${filters.type ?? ''}" placeholder="STEP_FAILURE,RUN_END" /></label>
      <label>Asset <input name="asset" value="${filters.asset ?? ''}" placeholder="rawg/games" /></label>
      <label>Partition <input name="partition" value="${filters.partition ?? ''}" placeholder="2024-06-01" size="12" /></label>
      <label>Text <input name="q" value="${filters.q ?? ''}" placeholder="503" /></label>
      <button type="submit">Filter</button>
      ${run.status === 'running' ? html`<span class="muted" id="live-note">Live: new events appear as they happen.</span>` : ''}
    </form>
    <table class="data" id="events"><thead><tr><th>Time (UTC)</th><th>Type</th><th>Step</th><th>Message</th></tr></thead>
      <tbody>${events.map((e) => eventRow(e))}</tbody></table>
    <div class="pager">${more ? html`<a href="${more}">More events →</a>` : ''}</div>`;
}

export function eventRow(e: RunEventRecord): Html {
  const level = eventLevel(e.type);
  return html`<tr data-event-id="${e.id ?? ''}" class="level-${level}"><td>${when(e.ts)}</td><td>${e.type}</td><td>${e.asset ?? ''}${e.partition ? `[${e.partition}]` : ''}</td><td>${e.message ?? ''}</td></tr>`;
}
