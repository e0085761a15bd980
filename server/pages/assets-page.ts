import { html } from 'hono/html';
import type { AssetOverview, AssetSummary, ColumnLineageEntry } from '../../app/index.js';
import { assetHref, duration, legend, statusBadge, when, type Html } from './layout.js';

const KINDS = ['ingestion', 'external', 'view', 'table', 'partitioned', 'incremental', 'check', 'ml'];
/** Partitions the second health bar shows, so a recent gap is visible on a ten-year range. */
const RECENT = 90;

/** The asset catalog: filters by group, kind, tag and text, all in the URL. */
export function assetsPage(assets: readonly AssetSummary[], all: readonly AssetSummary[], filters: { group?: string; kind?: string; tag?: string; q?: string }): Html {
  const groups = [...new Set(all.map((a) => a.group))].sort();
  const tags = [...new Set(all.flatMap((a) => a.tags))].sort();
  const checks = all.filter((a) => a.kind === 'check').length;
  const listed = filters.kind === 'check' ? all.length : all.length - checks;
  return html`<h1>Assets <small class="muted">${assets.length === listed ? `${listed}` : `${assets.length} of ${listed}`}${filters.kind === 'check' ? '' : ` (and ${checks} checks, under Kind: check)`}</small></h1>
    <form class="filters" method="get" action="/assets">
      <label>Text <input name="q" value="${filters.q ?? ''}" placeholder="dim_games" /></label>
      <label>Group <select name="group"><option value="">any</option>${groups.map((g) => html`<option ${filters.group === g ? 'selected' : ''}>${g}</option>`)}</select></label>
      <label>Kind <select name="kind"><option value="">any</option>${KINDS.map((k) => html`<option ${filters.kind === k ? 'selected' : ''}>${k}</option>`)}</select></label>
      <label>Tag <select name="tag"><option value="">any</option>${tags.map((t) => html`<option ${filters.tag === t ? 'selected' : ''}>${t}</option>`)}</select></label>
      <button type="submit">Filter</button>
    </form>
    <table class="data">
      <thead><tr><th>Asset</th><th>Kind</th><th>Group</th><th>Partitions</th><th>Description</th></tr></thead>
      <tbody>
        ${assets.map((a) => html`<tr><td><a href="${assetHref(a.key)}">${a.key}</a></td><td>${a.kind}</td><td>${a.group}</td><td>${a.partitions}</td><td>${a.description}</td></tr>`)}
      </tbody>
    </table>`;
}

/** Small bars of a series, newest last: rows, requests or duration of the recent materializations. */
function sparkline(values: readonly number[], label: string): Html {
  if (values.every((v) => v === 0)) return html``;
  const max = Math.max(1, ...values);
  const w = 300;
  const h = 40;
  const bw = w / values.length;
  return html`<figure class="spark"><figcaption>${label} <span class="muted">(max ${Math.round(max)})</span></figcaption>
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${label} of the last ${values.length} materializations, at most ${Math.round(max)}">
      ${values.map((v, i) => html`<rect x="${(i * bw).toFixed(1)}" y="${(h - (v / max) * h).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((v / max) * h).toFixed(1)}"></rect>`)}
    </svg></figure>`;
}

/** One asset: what it is, its columns and tests, up and down, partition health, history, checks. */
export function assetPage(o: AssetOverview, columns: readonly ColumnLineageEntry[] | null, canLaunch: boolean): Html {
  const a = o.asset;
  const runs = [...o.history].reverse();
  const testsByColumn = new Map<string, typeof o.tests>();
  for (const t of o.tests) testsByColumn.set(t.column ?? '', [...(testsByColumn.get(t.column ?? '') ?? []), t]);
  const partitioned = o.partitions.partitioned;
  const total = o.partitions.counts.ok + o.partitions.counts.failed + o.partitions.counts.missing;
  // An hourly asset's partitions are UTC hours: the bars and their legends say so.
  const unit = o.partitions.grain === 'hour' ? 'hours (UTC)' : 'partitions';
  return html`<h1>${a.key} <small class="muted">${a.kind}</small></h1>
    <p>${a.description}</p>
    ${canLaunch
      ? html`<p><a class="button" href="/launch?select=${encodeURIComponent(a.key)}&partition=${partitioned ? 'yesterday' : ''}">Materialize…</a></p>`
      : ''}
    <div class="cards">
      <div class="card"><div class="muted">Group</div><div>${a.group}</div></div>
      <div class="card"><div class="muted">Partitions</div><div>${a.partitions === '-' ? 'not partitioned' : a.partitions}</div></div>
      <div class="card"><div class="muted">Tags</div><div>${a.tags.join(', ') || '-'}</div></div>
      <div class="card"><div class="muted">Materialized · failed · missing</div><div class="big">${o.partitions.counts.ok} · ${o.partitions.counts.failed} · ${o.partitions.counts.missing}</div></div>
    </div>
    <h2>Partition health</h2>
    ${partitioned
      ? html`<canvas class="health" id="health" width="1100" height="24" role="img" aria-label="${o.partitions.counts.ok} ${unit} materialized, ${o.partitions.counts.failed} failed, ${o.partitions.counts.missing} missing"
          data-ranges="${JSON.stringify(o.partitions.ranges)}"></canvas>
        ${legend([['s-ok', 'materialized'], ['s-failed', 'failed'], ['s-missing', 'missing']], html`<span>all ${total} ${unit}: ${o.partitions.ranges[0]?.from ?? ''} … ${o.partitions.ranges.at(-1)?.to ?? ''}</span>`)}
        ${total > RECENT
          ? html`<canvas class="health recent" id="health-recent" data-count="${RECENT}" width="1100" height="24" role="img" aria-label="the last ${RECENT} ${unit}"></canvas>
              <div class="legend"><span>the last ${RECENT} ${unit}, up to ${o.partitions.ranges.at(-1)?.to ?? ''}</span></div>`
          : ''}`
      : html`<p>${statusBadge(o.partitions.ranges[0]?.status ?? 'missing')}</p>`}
    ${o.partitions.note ? html`<p class="notice">${o.partitions.note}</p>` : ''}
    <h2>Upstream and downstream</h2>
    <p>Reads: ${o.reads.length === 0 ? html`<span class="muted">nothing</span>` : o.reads.map((d, i) => html`${i > 0 ? ', ' : ''}<a href="${assetHref(d)}">${d}</a>`)}</p>
    <p>Read by: ${o.readBy.length === 0 ? html`<span class="muted">nothing</span>` : o.readBy.map((d, i) => html`${i > 0 ? ', ' : ''}<a href="${assetHref(d)}">${d}</a>`)}</p>
    <p><a href="/graph?select=${encodeURIComponent(`+${a.key}+`)}">Show in the graph</a></p>
    ${columns
      ? html`<h2>Columns</h2><table class="data"><thead><tr><th>Column</th><th>From</th><th>Tests</th></tr></thead><tbody>
          ${columns.map(
            (c) => html`<tr><td><code>${c.column}</code></td>
              <td>${c.resolved ? (c.origins ?? []).join(', ') || html`<span class="muted">a constant or expression</span>` : html`<span class="muted">unresolved: ${c.reason ?? ''}</span>`}</td>
              <td>${(testsByColumn.get(c.column) ?? []).map((t) => html`<span class="badge ${t.severity === 'warn' ? 'warn' : ''}">${t.name}</span> `)}</td></tr>`,
          )}
        </tbody></table>`
      : ''}
    ${(testsByColumn.get('') ?? []).length > 0 ? html`<p>Model tests: ${(testsByColumn.get('') ?? []).map((t) => html`<span class="badge">${t.name}</span> `)}</p>` : ''}
    <h2>Materializations</h2>
    ${runs.length === 0
      ? html`<p class="muted">Never materialized.</p>`
      : html`<div class="sparks">
          ${sparkline(runs.map((m) => m.rows ?? 0), 'Rows')}
          ${sparkline(runs.map((m) => m.requests ?? 0), 'API requests')}
          ${sparkline(runs.map((m) => m.durationMs), 'Duration (ms)')}
        </div>
        <table class="data" id="history"><thead><tr><th>Run</th><th>Partition</th><th>Status</th><th>Ended (UTC)</th><th class="num">Rows</th><th class="num">Requests</th><th class="num">Took</th></tr></thead><tbody>
          ${o.history.slice(0, 30).map(
            (m) => html`<tr><td><a href="/runs/${m.runId}">${m.runId}</a></td><td>${m.partition ?? '-'}</td><td>${statusBadge(m.status)}</td><td>${when(m.endedAt)}</td>
              <td class="num">${m.rows ?? ''}</td><td class="num">${m.requests ?? ''}</td><td class="num">${duration(m.durationMs)}</td></tr>`,
          )}
        </tbody></table>`}
    <h2>Checks</h2>
    ${o.checks.length === 0
      ? html`<p class="muted">No check result yet.</p>`
      : html`<table class="data" id="checks"><thead><tr><th>Check</th><th>Partition</th><th>Status</th><th>At (UTC)</th></tr></thead><tbody>
          ${[...o.checks]
            .sort((a, b) => Number(a.status === 'passed') - Number(b.status === 'passed'))
            .slice(0, 100)
            .map((c) => html`<tr><td>${c.check}</td><td>${c.partition ?? '-'}</td><td>${statusBadge(c.status)}</td><td>${when(c.at)}</td></tr>`)}
        </tbody></table>
        <details><summary>History: the last ${o.checkHistory.length} results</summary>
          <table class="data" id="check-history"><thead><tr><th>At (UTC)</th><th>Check</th><th>Partition</th><th>Status</th><th>Run</th></tr></thead><tbody>
            ${o.checkHistory.map((c) => html`<tr><td>${when(c.at)}</td><td>${c.check}</td><td>${c.partition ?? '-'}</td><td>${statusBadge(c.status)}</td><td><a href="/runs/${c.runId}">${c.runId}</a></td></tr>`)}
          </tbody></table>
        </details>`}`;
}
