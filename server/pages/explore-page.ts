import { html } from 'hono/html';
import { GAME_ORDERINGS, type GamesPage, type MarketKpis, type TaxonomyEntry } from '../../app/index.js';
import { when, type Html } from './layout.js';

export const PAGE_SIZES = [12, 24, 48, 96] as const;
const LISTS = ['genres', 'parent_platforms', 'stores', 'platforms', 'tags', 'developers', 'publishers'] as const;
const CHIPS = [['platforms', 'Platform'], ['tags', 'Tag'], ['developers', 'Developer'], ['publishers', 'Publisher']] as const;
const ORDER_LABELS: Record<string, string> = {
  name: 'Name', released: 'Release date', rating: 'Rating', ratings_count: 'Ratings', metacritic: 'Metacritic', playtime: 'Playtime', added: 'Added by users', updated: 'Updated', id: 'Id',
};

export interface ExploreState {
  search?: string;
  genres: string[];
  parent_platforms: string[];
  stores: string[];
  /** Filters reached from a game page's links, shown as removable chips. */
  platforms: string[];
  tags: string[];
  developers: string[];
  publishers: string[];
  /** Only the visitor's favorite games. */
  favorites: boolean;
  rating_min?: number;
  metacritic_min?: number;
  released_from?: string;
  released_to?: string;
  ordering: string;
  page_size: number;
  cursor?: string;
}

/** The URL of the explorer (or its CSV) for a state: every filter in the query string, shareable. */
export function exploreHref(state: ExploreState, path = '/explore', change: Partial<ExploreState> = {}): string {
  const s = { ...state, ...change };
  const q = new URLSearchParams();
  if (s.search) q.set('search', s.search);
  for (const list of LISTS) if (s[list].length > 0) q.set(list, s[list].join(','));
  if (s.favorites) q.set('favorites', '1');
  if (s.rating_min !== undefined) q.set('rating_min', String(s.rating_min));
  if (s.metacritic_min !== undefined) q.set('metacritic_min', String(s.metacritic_min));
  if (s.released_from) q.set('released_from', s.released_from);
  if (s.released_to) q.set('released_to', s.released_to);
  if (s.ordering !== '-added') q.set('ordering', s.ordering);
  if (path === '/explore' && s.page_size !== 24) q.set('page_size', String(s.page_size));
  if (path === '/explore' && s.cursor) q.set('cursor', s.cursor);
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

function multi(name: 'genres' | 'parent_platforms' | 'stores', label: string, items: readonly TaxonomyEntry[], chosen: readonly string[]): Html {
  return html`<label>${label}
    <select name="${name}" multiple size="${Math.min(8, Math.max(3, items.length))}">
      ${items.map((i) => html`<option value="${i.slug}" ${chosen.includes(i.slug) ? 'selected' : ''}>${i.name} (${i.games})</option>`)}
    </select></label>`;
}

const fixed = (n: number | null, digits: number) => (n === null ? '-' : n.toFixed(digits));

/** The game-market explorer: filters on the left, cards of the filtered set, a page of games, CSV. */
/** A game's cover from RAWG's CDN, only when the visitor turned remote images on (the CSP allows it then). */
export function cover(url: string | null, images: boolean): Html | string {
  return images && url?.startsWith('https://media.rawg.io/') ? html`<img data-cover class="cover" src="${url}" alt="" loading="lazy" referrerpolicy="no-referrer" />` : '';
}

export function imagesToggle(images: boolean): Html {
  return html`<label class="inline"><input type="checkbox" data-images-toggle ${images ? 'checked' : ''} /> Show cover images (loaded from RAWG's CDN)</label>`;
}

export function explorePage(d: { state: ExploreState; page: GamesPage; kpis: MarketKpis; genres: TaxonomyEntry[]; parents: TaxonomyEntry[]; stores: TaxonomyEntry[]; images: boolean }): Html {
  const { state, page, kpis } = d;
  const first = (page.games.length > 0 && state.cursor) ? exploreHref(state, '/explore', { cursor: undefined }) : null;
  return html`<h1>${state.favorites ? 'Your favorite games' : 'Explore the game market'}</h1>
    ${page.data
      ? html`<p class="muted" id="provenance">Data from run <a href="/runs/${page.data.runId}">${page.data.runId}</a>, published ${when(page.data.publishedAt)} UTC.</p>`
      : html`<p class="notice">No run has built the marts yet: run <code>gmp demo</code> or <code>gmp materialize</code>.</p>`}
    <div class="explore">
      <form class="sidebar" method="get" action="/explore" id="explore-filters">
        <label>Name <input type="search" name="search" value="${state.search ?? ''}" placeholder="zelda" /></label>
        <label class="inline"><input type="checkbox" name="favorites" value="1" ${state.favorites ? 'checked' : ''} /> Only my favorites</label>
        ${CHIPS.flatMap(([list, label]) =>
          state[list].map(
            (slug) => html`<span class="chip">${label}: ${slug} <input type="hidden" name="${list}" value="${slug}" />
              <a href="${exploreHref({ ...state, [list]: state[list].filter((x) => x !== slug), cursor: undefined })}" aria-label="Remove ${label.toLowerCase()} ${slug}">✕</a></span>`,
          ),
        )}
        ${multi('genres', 'Genres', d.genres, state.genres)}
        ${multi('parent_platforms', 'Platforms', d.parents, state.parent_platforms)}
        ${multi('stores', 'Stores', d.stores, state.stores)}
        <label>Rating at least <output for="rating_min" data-for="rating_min">${state.rating_min ?? 0}</output>
          <input type="range" id="rating_min" name="rating_min" min="0" max="5" step="0.5" value="${state.rating_min ?? 0}" /></label>
        <label>Metacritic at least <output data-for="metacritic_min">${state.metacritic_min ?? 0}</output>
          <input type="range" id="metacritic_min" name="metacritic_min" min="0" max="100" step="5" value="${state.metacritic_min ?? 0}" /></label>
        <label>Released from <input type="date" name="released_from" value="${state.released_from ?? ''}" /></label>
        <label>Released to <input type="date" name="released_to" value="${state.released_to ?? ''}" /></label>
        <label>Sort by <select name="ordering">
          ${GAME_ORDERINGS.flatMap((o) => [`-${o}`, o]).map((o) => html`<option value="${o}" ${state.ordering === o ? 'selected' : ''}>${ORDER_LABELS[o.replace('-', '')]} ${o.startsWith('-') ? '↓' : '↑'}</option>`)}
        </select></label>
        <label>Per page <select name="page_size">${PAGE_SIZES.map((n) => html`<option ${state.page_size === n ? 'selected' : ''}>${n}</option>`)}</select></label>
        <button type="submit">Apply</button>
        <a href="/explore">Clear filters</a>
        ${imagesToggle(d.images)}
      </form>
      <section>
        <div class="cards" id="kpis">
          <div class="card"><div class="muted">Games</div><div class="big" data-kpi="games">${kpis.games.toLocaleString('en-US')}</div></div>
          <div class="card"><div class="muted">Average rating</div><div class="big" data-kpi="rating">${fixed(kpis.averageRating, 2)}</div></div>
          <div class="card"><div class="muted">Average Metacritic</div><div class="big" data-kpi="metacritic">${fixed(kpis.averageMetacritic, 1)}</div></div>
          <div class="card"><div class="muted">Released in ${kpis.year}</div><div class="big" data-kpi="this-year">${kpis.releasedThisYear.toLocaleString('en-US')}</div></div>
        </div>
        <p class="toolbar"><span class="muted">${page.total.toLocaleString('en-US')} games</span>
          <a href="${exploreHref(state, '/api/v1/games.csv')}" id="export-csv" download>Export all ${page.total.toLocaleString('en-US')} as CSV</a></p>
        ${page.games.length === 0
          ? html`<p class="muted">No game matches these filters.</p>`
          : html`<ul class="games" id="games">
              ${page.games.map(
                (g) => html`<li class="game" data-id="${g.id}">${cover(g.background_image, d.images)}
                  <div class="title"><a href="/games/${g.id}">${g.name}</a></div>
                  <div class="muted">${g.released ?? (g.tba ? 'TBA' : 'no date')} · ${g.parent_platforms.map((p) => p.name).join(', ') || 'no platform'}</div>
                  <div>${g.genres.map((x) => html`<a class="badge" href="${exploreHref({ ...state, genres: [x.slug], cursor: undefined })}">${x.name}</a> `)}</div>
                  <div class="scores"><span title="average rating">★ ${g.rating && g.rating > 0 ? g.rating.toFixed(2) : '-'}</span>
                    <span title="Metacritic">MC ${g.metacritic ?? '-'}</span><span title="ratings">${g.ratings_count ?? 0} ratings</span></div>
                </li>`,
              )}
            </ul>`}
        <div class="pager">
          ${first ? html`<a href="${first}">← First page</a>` : ''}
          ${page.next ? html`<a href="${exploreHref(state, '/explore', { cursor: page.next })}" id="next-page">Next ${state.page_size} →</a>` : ''}
        </div>
      </section>
    </div>`;
}
