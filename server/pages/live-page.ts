import { html } from 'hono/html';
import type { CollectorStats } from '../../app/index.js';
import type { Html } from './layout.js';

const n = (v: number) => v.toLocaleString('en-US');

/** The collector's figures as tiles (ids the live island updates), or how to get them. */
export function liveStrip(stats: CollectorStats | null, eventsPerSecond: number | null): Html {
  if (!stats) {
    return html`<p class="notice" id="live-strip">No collector runs in this server: start it with <code>gmp serve --collect</code> to see events arrive here each second. The charts below come from the player marts.</p>`;
  }
  const failed = Object.values(stats.failedByReason).reduce((a, b) => a + b, 0);
  return html`<div class="cards" id="live-strip">
    <div class="card"><div class="muted">Events / second</div><div class="big" data-live="eventsPerSecond">${eventsPerSecond === null ? '…' : n(eventsPerSecond)}</div><div class="muted">accepted, last second</div></div>
    <div class="card"><div class="muted">Accepted</div><div class="big" data-live="accepted">${n(stats.accepted)}</div><div class="muted">since the collector started</div></div>
    <div class="card"><div class="muted">Refused</div><div class="big" data-live="failed">${n(failed)}</div><div class="muted"><span data-live="duplicates">${n(stats.duplicates)}</span> duplicates dropped</div></div>
    <div class="card"><div class="muted">Waiting for the lake</div><div class="big" data-live="walBacklogBytes">${n(Math.round(stats.walBacklogBytes / 1024))} KB</div><div class="muted" data-live="lastCommitAt">${stats.lastCommitAt ? `last commit ${stats.lastCommitAt.slice(11, 19)} UTC` : 'no commit yet'}</div></div>
  </div>`;
}

/** The live-ops page: the strip, then the live-ops dashboard's charts (swapped in place when the marts change). */
export function livePage(strip: Html, charts: Html, version: string | null): Html {
  const [runId, at] = version ? version.split('@') : [];
  return html`<h1>Live ops <small id="live-status" aria-live="polite">connecting…</small></h1>
    ${strip}
    <p class="muted" id="provenance">${runId
      ? html`Charts from the player marts, rebuilt by run <a href="/runs/${runId}">${runId}</a> at ${at ? `${at.slice(0, 10)} ${at.slice(11, 19)}` : '-'} UTC; they redraw when a run rebuilds them. <a href="/dashboards/live-ops">As a dashboard</a> · <a href="/players">Players</a>`
      : html`No run has built the player marts yet: collect events, then <code>gmp materialize --select 'events/events+' --partition DAY</code>.`}</p>
    <div id="live-charts">${charts}</div>`;
}
