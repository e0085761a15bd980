import { html, raw } from 'hono/html';
import type { GameProfile } from '../../app/index.js';
import { cover, imagesToggle } from './explore-page.js';
import { when, type Html } from './layout.js';

const explore = (list: string, slug: string) => `/explore?${new URLSearchParams({ [list]: slug })}`;

function links(list: string, label: string, items: readonly { slug: string; name: string }[]): Html {
  return html`<div><dt>${label}</dt><dd>${items.length === 0 ? html`<span class="muted">-</span>` : items.map((i, n) => html`${n > 0 ? ', ' : ''}<a href="${explore(list, i.slug)}">${i.name}</a>`)}</dd></div>`;
}

/** A line chart of one metric over the game's daily snapshots, drawn on the server as SVG. */
function historyChart(points: readonly { dt: string; value: number | null }[], label: string): Html {
  const known = points.filter((p): p is { dt: string; value: number } => p.value !== null);
  if (known.length < 2) return html`<p class="muted">${label}: ${known.length === 1 ? `${known[0]!.value} on ${known[0]!.dt} (one snapshot so far)` : 'no snapshot yet'}.</p>`;
  const w = 520;
  const h = 120;
  const min = Math.min(...known.map((p) => p.value));
  const max = Math.max(...known.map((p) => p.value));
  const span = max - min || 1;
  const x = (i: number) => 40 + (i / (known.length - 1)) * (w - 50);
  const y = (v: number) => 10 + (1 - (v - min) / span) * (h - 30);
  const path = known.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`).join(' ');
  return html`<figure class="chart"><figcaption>${label}</figcaption>
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${label} from ${known[0]!.dt} (${known[0]!.value}) to ${known.at(-1)!.dt} (${known.at(-1)!.value})">
      <text x="2" y="${y(max) + 4}">${max}</text><text x="2" y="${y(min) + 4}">${min}</text>
      <path d="${path}" /><text x="40" y="${h - 2}">${known[0]!.dt}</text><text x="${w - 10}" y="${h - 2}" text-anchor="end">${known.at(-1)!.dt}</text>
    </svg></figure>`;
}

/** One game: every attribute, its lists as links to filtered views, history, similar games. */
export function gamePage(g: GameProfile, images: boolean, favorite: boolean | null, prediction: Html | string = ''): Html {
  return html`<p class="toolbar"><a href="/explore">← Explore</a> ${imagesToggle(images)}</p>
    ${cover(g.background_image, images)}
    <div class="title-row"><h1>${g.name}</h1>
      ${favorite === null
        ? ''
        : html`<button type="button" class="favorite" data-action="favorite" data-game-id="${g.id}" aria-pressed="${favorite ? 'true' : 'false'}">${favorite ? '★ Favorite' : '☆ Add to favorites'}</button>`}</div>
    ${g.data ? html`<p class="muted" id="provenance">Data from run <a href="/runs/${g.data.runId}">${g.data.runId}</a>, published ${when(g.data.publishedAt)} UTC.</p>` : ''}
    <div class="cards">
      <div class="card"><div class="muted">Rating</div><div class="big">${g.rating && g.rating > 0 ? g.rating.toFixed(2) : '-'}</div><div class="muted">${g.ratings_count ?? 0} ratings, out of ${g.rating_top ?? 5}</div></div>
      <div class="card"><div class="muted">Metacritic</div><div class="big">${g.metacritic ?? '-'}</div></div>
      <div class="card"><div class="muted">Released</div><div class="big">${g.released ?? (g.tba ? 'TBA' : '-')}</div></div>
      <div class="card"><div class="muted">Playtime</div><div class="big">${g.playtime ?? '-'} h</div><div class="muted">added by ${g.added ?? 0} users</div></div>
    </div>
    <dl class="facts">
      ${links('genres', 'Genres', g.genres)}
      ${links('platforms', 'Platforms', g.platforms)}
      ${links('stores', 'Stores', g.stores)}
      ${links('developers', 'Developers', g.developers)}
      ${links('publishers', 'Publishers', g.publishers)}
      ${links('tags', 'Tags', g.tags.slice(0, 30))}
      <div><dt>ESRB</dt><dd>${g.esrb_rating ?? '-'}</dd></div>
      <div><dt>Reviews</dt><dd>${g.reviews_text_count ?? 0}</dd></div>
      <div><dt>Website</dt><dd>${g.website ? html`<a href="${g.website}" rel="nofollow noopener noreferrer">${g.website}</a>` : '-'}</dd></div>
      <div><dt>Updated on RAWG</dt><dd>${g.updated ?? '-'}</dd></div>
    </dl>
    ${prediction}
    <h2>About</h2>
    <div class="description" id="description">${g.descriptionHtml ? raw(g.descriptionHtml) : html`<p class="muted">No description fetched yet (descriptions come with the game details).</p>`}</div>
    <h2>History</h2>
    <div class="charts">
      ${historyChart(g.history.map((p) => ({ dt: p.dt, value: p.rating })), 'Rating')}
      ${historyChart(g.history.map((p) => ({ dt: p.dt, value: p.ratings_count })), 'Ratings (popularity)')}
    </div>
    <h2>Similar games</h2>
    ${g.similar.length === 0
      ? html`<p class="muted">None shares a genre or tag with it.</p>`
      : html`<ul class="similar" id="similar">${g.similar.map((s) => html`<li><a href="/games/${s.id}">${s.name}</a> <span class="muted">${s.shared} shared genres and tags · ★ ${s.rating && s.rating > 0 ? s.rating.toFixed(2) : '-'}</span></li>`)}</ul>`}`;
}
