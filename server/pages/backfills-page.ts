import { html } from 'hono/html';
import type { BackfillStatusReport, ShownBackfill } from '../../app/index.js';
import { legend, statusBadge, when, type Html } from './layout.js';

/** Recent backfills: status (interrupted ones say so), range, progress. */
export function backfillsPage(list: readonly ShownBackfill[]): Html {
  if (list.length === 0) return html`<h1>Backfills</h1><p class="muted">No backfills yet. <a href="/launch">Launch one</a> over a range of days.</p>`;
  return html`<h1>Backfills</h1>
    <table class="data">
      <thead><tr><th>Backfill</th><th>Status</th><th>Selection</th><th>Range</th><th>Created (UTC)</th><th class="num">Succeeded</th><th class="num">Up to date</th><th class="num">Failed</th><th class="num">Open</th></tr></thead>
      <tbody>
        ${list.map(
          (b) => html`<tr>
            <td><a href="/backfills/${b.backfill.backfillId}">${b.backfill.backfillId}</a></td>
            <td>${statusBadge(b.status)}</td>
            <td><code>${b.backfill.selection}</code></td>
            <td>${b.backfill.fromKey}..${b.backfill.toKey}</td>
            <td>${when(b.backfill.createdAt)}</td>
            <td class="num">${b.counts.succeeded}</td>
            <td class="num">${b.counts.skipped}</td>
            <td class="num">${b.counts.failed}</td>
            <td class="num">${b.counts.pending + b.counts.running + b.counts.canceled}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

/** One backfill: counts, the partition matrix (drawn on canvas from status ranges), failures, resume and cancel. */
export function backfillPage(b: BackfillStatusReport, canOperate: boolean): Html {
  const id = b.backfill.backfillId;
  const open = b.status !== 'succeeded';
  const matrix = { from: b.backfill.fromKey, to: b.backfill.toKey, rows: b.assets.map((a) => ({ asset: a.asset, ranges: a.ranges })) };
  return html`<h1>Backfill <code>${id}</code> <span id="backfill-status" data-status="${b.status}">${statusBadge(b.status)}</span></h1>
    ${b.status === 'interrupted' ? html`<p class="notice bad">The process running it is gone (killed, crashed or its machine lost); nothing runs it now. Resume it to go on: what succeeded is not redone.</p>` : ''}
    <div class="cards">
      <div class="card"><div class="muted">Selection</div><div><code>${b.backfill.selection}</code></div></div>
      <div class="card"><div class="muted">Range</div><div>${b.backfill.fromKey}..${b.backfill.toKey}</div></div>
      <div class="card"><div class="muted">Succeeded · up to date</div><div class="big">${b.counts.succeeded} · ${b.counts.skipped}</div></div>
      <div class="card"><div class="muted">Failed · open</div><div class="big">${b.counts.failed} · ${b.counts.pending + b.counts.running + b.counts.canceled}</div></div>
    </div>
    ${canOperate && open
      ? html`<p class="actions">
          ${b.status !== 'running' ? html`<button type="button" data-action="resume-backfill" data-id="${id}">Resume</button>` : ''}
          ${b.status === 'running' ? html`<button type="button" class="danger" data-action="cancel-backfill" data-id="${id}">Cancel</button>` : ''}
          <span id="backfill-result" role="status"></span></p>`
      : ''}
    <h2>Partitions</h2>
    <canvas class="matrix" id="matrix" width="1100" height="${Math.max(40, b.assets.length * 14 + 20)}" role="img"
      aria-label="Partitions of ${b.assets.length} assets by status, ${b.backfill.fromKey} to ${b.backfill.toKey}"
      data-matrix="${JSON.stringify(matrix)}"></canvas>
    ${legend([['s-succeeded', 'succeeded'], ['s-skipped', 'up to date'], ['s-failed', 'failed'], ['s-running', 'running'], ['s-pending', 'pending'], ['s-canceled', 'canceled']])}
    <h2>Per asset</h2>
    <table class="data"><thead><tr><th>Asset</th><th class="num">Succeeded</th><th class="num">Up to date</th><th class="num">Failed</th><th class="num">Running</th><th class="num">Pending</th><th class="num">Canceled</th></tr></thead><tbody>
      ${b.assets.map((a) => html`<tr><td>${a.asset}</td><td class="num">${a.counts.succeeded}</td><td class="num">${a.counts.skipped}</td><td class="num">${a.counts.failed}</td><td class="num">${a.counts.running}</td><td class="num">${a.counts.pending}</td><td class="num">${a.counts.canceled}</td></tr>`)}
    </tbody></table>
    ${b.failures.length > 0
      ? html`<h2>Failures</h2><table class="data"><thead><tr><th>Step</th><th>Error</th></tr></thead><tbody>
          ${b.failures.slice(0, 100).map((f) => html`<tr><td>${f.asset}${f.partition ? `[${f.partition}]` : ''}</td><td>${f.error ?? ''}</td></tr>`)}
        </tbody></table>`
      : ''}`;
}
