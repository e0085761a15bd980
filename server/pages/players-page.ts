import { html } from 'hono/html';
import type { PlayerProfile, PlayersPage, RecentView, SessionState } from '../../app/index.js';
import { when, type Html } from './layout.js';

const money = (v: number) => `$${v.toFixed(2)}`;
const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 100)}%`);
const minutes = (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
const NO_MARTS = html`<p class="notice">No player data yet: the player marts are built from collected events.
  Collect some (<code>gmp collect</code>, or <code>gmp simulate</code> for synthetic players), then run
  <code>gmp materialize --select 'events/events+' --partition DAY</code>. <code>gmp demo</code> includes a simulated week.</p>`;

/** Players, most engaged first, with a search by id. */
export function playersPage(page: PlayersPage | null, q: string, offset: number, limit: number): Html {
  if (page === null) return html`<h1>Players</h1>${NO_MARTS}`;
  const next = offset + limit < page.total ? `/players?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(offset + limit) })}` : null;
  const prev = offset > 0 ? `/players?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(Math.max(0, offset - limit)) })}` : null;
  return html`<h1>Players <small>${page.total.toLocaleString('en-US')}${q ? ` matching “${q}”` : ''}</small></h1>
    <form class="filters" method="get" action="/players" role="search">
      <label>Player id <input name="q" type="search" value="${q}" placeholder="e.g. player-0042" /></label>
      <button type="submit">Search</button>
    </form>
    <p class="muted">From <code>marts.mart_customer_insights</code>: engagement score = min(10 × events in the 7 days up to the newest event, 100).</p>
    ${page.players.length === 0
      ? html`<p class="notice">No player matches.</p>`
      : html`<table class="data" id="players">
          <thead><tr><th>Player</th><th>Persona</th><th class="num">Engagement</th><th class="num">Events (7 d)</th><th>Platform</th><th>Top genres</th><th class="num">Revenue</th><th>Last seen (UTC)</th></tr></thead>
          <tbody>${page.players.map(
            (p) => html`<tr><td><a href="/players/${encodeURIComponent(p.user_id)}">${p.user_id}</a></td><td>${p.persona ?? '-'}</td><td class="num">${p.engagement_score}</td>
              <td class="num">${p.events_7d}</td><td>${p.preferred_platform ?? '-'}</td><td>${p.top_genres ?? '-'}</td><td class="num">${money(p.revenue_usd)}</td><td>${when(p.last_seen_at)}</td></tr>`,
          )}</tbody></table>`}
    <nav class="pager">${prev ? html`<a href="${prev}">← Previous</a>` : ''}${next ? html`<a href="${next}">Next →</a>` : ''}</nav>`;
}

/** One player: insights, the games viewed last (live when the server has a hot path), sessions, purchases. */
export function playerPage(
  p: PlayerProfile,
  live: { views: (RecentView & { name: string | null })[]; sessions: SessionState[] } | null,
): Html {
  const views = live && live.views.length > 0 ? live.views : p.recent_views;
  return html`<p class="toolbar"><a href="/players">← Players</a></p>
    <h1>${p.user_id}${p.persona ? html` <small>${p.persona}</small>` : ''}</h1>
    <div class="cards">
      <div class="card"><div class="muted">Engagement score</div><div class="big">${p.engagement_score}</div><div class="muted">${p.events_7d} events in the last 7 days</div></div>
      <div class="card"><div class="muted">Revenue</div><div class="big">${money(p.revenue_usd)}</div><div class="muted">real money, USD</div></div>
      <div class="card"><div class="muted">Price sensitivity</div><div class="big">${pct(p.price_sensitivity)}</div><div class="muted">of carted games never bought</div></div>
      <div class="card"><div class="muted">Preferred platform</div><div class="big">${p.preferred_platform ?? '-'}</div><div class="muted">first seen ${when(p.first_seen_at)}</div></div>
    </div>
    <dl class="facts"><div><dt>Top genres</dt><dd>${p.top_genres ?? '-'}</dd></div><div><dt>Last seen (UTC)</dt><dd>${when(p.last_seen_at)}</dd></div></dl>
    <h2>Recent views <small class="muted">${live && live.views.length > 0 ? 'live, from the hot path' : 'from the last run'}</small></h2>
    ${views.length === 0
      ? html`<p class="muted">No game viewed.</p>`
      : html`<ol class="recent" id="recent-views">${views.map((v) => html`<li><a href="/games/${v.game_id}">${v.name ?? `game ${v.game_id}`}</a> <span class="muted">${when(v.viewed_at)}</span></li>`)}</ol>`}
    ${live && live.sessions.length > 0
      ? html`<h2>Live session</h2>${live.sessions.map(
          (s) => html`<p id="live-session"><span class="badge ${s.status === 'active' ? 'ok' : 'warn'}">${s.status}</span> since ${when(s.started_at)}: ${s.events} events, last ${s.last_event} at ${when(s.last_event_at)}${s.game_id ? html`, playing <a href="/games/${s.game_id}">game ${s.game_id}</a>` : ''}; cart ${s.cart.length} · ${s.purchases} purchases (${money(s.revenue_usd)})</p>`,
        )}`
      : ''}
    <h2>Sessions <small class="muted">the last 10</small></h2>
    ${p.sessions.length === 0
      ? html`<p class="muted">No session.</p>`
      : html`<table class="data" id="sessions"><thead><tr><th>Started (UTC)</th><th class="num">Length</th><th class="num">Events</th><th class="num">Games</th><th class="num">Purchases</th><th class="num">Revenue</th><th>Platform</th></tr></thead>
          <tbody>${p.sessions.map((s) => html`<tr><td>${when(s.started_at)}</td><td class="num">${minutes(s.duration_seconds)}</td><td class="num">${s.events}</td><td class="num">${s.games}</td><td class="num">${s.purchases}</td><td class="num">${money(s.revenue_usd)}</td><td>${s.platform ?? '-'}</td></tr>`)}</tbody></table>`}
    <h2>Purchases <small class="muted">the last 10</small></h2>
    ${p.purchases.length === 0
      ? html`<p class="muted">No purchase.</p>`
      : html`<table class="data" id="purchases"><thead><tr><th>When (UTC)</th><th>What</th><th>Kind</th><th class="num">Amount</th></tr></thead>
          <tbody>${p.purchases.map(
            (b) => html`<tr><td>${when(b.purchased_at)}</td><td>${b.game_id ? html`<a href="/games/${b.game_id}">${b.game_name ?? `game ${b.game_id}`}</a>` : ''}${b.item ? ` · ${b.item}` : ''}</td><td>${b.kind === 'store' ? 'store' : 'in game'}</td><td class="num">${b.amount.toFixed(2)} ${b.currency_code}</td></tr>`,
          )}</tbody></table>`}`;
}
