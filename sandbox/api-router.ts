import type { ApiResponse } from './api-response.js';
import type { Catalogue } from './catalogue.js';
import { GameViews } from './game-views.js';
import { parseGamesQuery } from './games-query.js';
import { jsonResponse } from './json-response.js';
import { paginate, readPageRequest } from './pagination.js';
import type { TaxonomyKind } from './taxonomy.js';
import { TaxonomyViews } from './taxonomy-views.js';

const NOT_FOUND = { detail: 'Not found.' };
const INVALID_PAGE = { detail: 'Invalid page.' };
const TAXONOMY_PAGE_SIZE: Record<TaxonomyKind, number> = { genres: 20, platforms: 50, stores: 20, tags: 10, developers: 10, publishers: 10 };
const TAXONOMY_ROUTES = new Set<string>(['genres', 'platforms', 'stores', 'tags', 'developers', 'publishers']);

/** Answers RAWG API requests (`/api/...`) from a catalogue; pure request → response, no I/O. */
export class ApiRouter {
  private readonly games: GameViews;
  private readonly taxonomies: TaxonomyViews;
  private yearFilters: unknown;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly apiKey: string | undefined,
  ) {
    this.games = new GameViews(catalogue);
    this.taxonomies = new TaxonomyViews(catalogue, this.games);
  }

  /** Handles one request; `host` is the Host header, used for absolute `next`/`previous` links. */
  handle(method: string, url: URL, host: string): ApiResponse {
    if (method !== 'GET' && method !== 'HEAD') return jsonResponse(405, { detail: `Method "${method}" not allowed.` });
    const key = url.searchParams.get('key');
    if (key === null || key === '') return jsonResponse(401, { error: 'The key parameter is not provided' });
    if (this.apiKey !== undefined && key !== this.apiKey) {
      return jsonResponse(401, { error: 'Invalid API key. Please check your key or get a new one at https://rawg.io/apidocs' });
    }
    const match = /^\/api\/(.*?)\/?$/.exec(url.pathname);
    if (match === null) return jsonResponse(404, NOT_FOUND);
    let parts: string[];
    try {
      parts = (match[1] ?? '').split('/').map((p) => decodeURIComponent(p));
    } catch {
      return jsonResponse(404, NOT_FOUND);
    }
    const base = `http://${host}${url.pathname}`;
    const [resource, id, extra] = parts;

    if (resource === 'games' && parts.length === 1) return this.gamesList(url.searchParams, base);
    if (resource === 'games' && parts.length === 2 && id !== undefined) return this.gameDetail(id);
    if (resource === 'platforms' && id === 'lists' && extra === 'parents' && parts.length === 3) {
      const all = this.catalogue.taxonomy.parentPlatforms.map((_, k) => k);
      return this.listPage(all.length, 20, url.searchParams, base, (k) => this.taxonomies.parentItem(k));
    }
    if (resource === 'creator-roles' && parts.length === 1) {
      const roles = this.catalogue.taxonomy.creatorRoles;
      return this.listPage(roles.length, 20, url.searchParams, base, (k) => ({ ...roles[k] }));
    }
    if (resource !== undefined && TAXONOMY_ROUTES.has(resource)) {
      const kind = resource as TaxonomyKind;
      if (parts.length === 1) return this.taxonomyList(kind, url.searchParams, base);
      if (parts.length === 2 && id !== undefined) {
        const k = this.catalogue.taxonomy.indexOf(kind, id);
        return k === undefined ? jsonResponse(404, NOT_FOUND) : jsonResponse(200, this.taxonomies.detail(kind, k));
      }
    }
    return jsonResponse(404, NOT_FOUND);
  }

  private gamesList(params: URLSearchParams, base: string): ApiResponse {
    const request = readPageRequest(params, 20);
    if (request === undefined) return jsonResponse(404, INVALID_PAGE);
    const query = parseGamesQuery(params, this.catalogue.taxonomy);
    if (!query.ok) return jsonResponse(query.status, query.body);
    const indices = this.catalogue.select(query.selection);
    const page = paginate(indices.length, request, base, params);
    if (page === undefined) return jsonResponse(404, INVALID_PAGE);
    const results = Array.from(indices.subarray(page.start, page.end), (i) =>
      query.slim ? this.games.slimListItem(i, query.withScore) : this.games.fullListItem(i),
    );
    const envelope = { count: indices.length, next: page.next, previous: page.previous, results };
    if (query.slim) return jsonResponse(200, { ...envelope, user_platforms: false });
    return jsonResponse(200, {
      ...envelope,
      seo_title: 'All Games',
      seo_description: '',
      seo_keywords: '',
      seo_h1: 'All Games',
      noindex: false,
      nofollow: false,
      description: '',
      filters: { years: this.years() },
      nofollow_collections: ['stores'],
    });
  }

  private gameDetail(idOrSlug: string): ApiResponse {
    const index = /^\d+$/.test(idOrSlug) ? this.catalogue.indexOfId(Number(idOrSlug)) : this.catalogue.indexOfSlug(idOrSlug);
    return index === undefined ? jsonResponse(404, NOT_FOUND) : jsonResponse(200, this.games.detail(index));
  }

  private taxonomyList(kind: TaxonomyKind, params: URLSearchParams, base: string): ApiResponse {
    const entries = this.catalogue.taxonomy.list(kind);
    const search = params.get('search')?.trim().toLowerCase() ?? '';
    const matching = entries.flatMap((e, k) => (search === '' || e.name.toLowerCase().includes(search) ? [k] : []));
    return this.listPage(matching.length, TAXONOMY_PAGE_SIZE[kind], params, base, (n) => this.taxonomies.listItem(kind, matching[n] ?? 0));
  }

  private listPage(count: number, defaultSize: number, params: URLSearchParams, base: string, item: (n: number) => unknown): ApiResponse {
    const request = readPageRequest(params, defaultSize);
    const page = request === undefined ? undefined : paginate(count, request, base, params);
    if (page === undefined) return jsonResponse(404, INVALID_PAGE);
    const results: unknown[] = [];
    for (let n = page.start; n < page.end; n++) results.push(item(n));
    return jsonResponse(200, { count, next: page.next, previous: page.previous, results });
  }

  /** RAWG's `filters.years`: release counts per year grouped by decade, newest first. */
  private years(): unknown {
    if (this.yearFilters !== undefined) return this.yearFilters;
    const counts = this.catalogue.releasedYearCounts();
    const asOfYear = Number(this.catalogue.asOf.slice(0, 4));
    const decades = [...new Set([...counts.keys()].map((y) => y - (y % 10)))].sort((a, b) => b - a);
    this.yearFilters = decades.map((decade) => {
      const years = [...counts.entries()].filter(([y]) => y - (y % 10) === decade).sort((a, b) => b[0] - a[0]);
      const to = Math.max(Math.min(decade + 9, asOfYear), years[0]?.[0] ?? decade);
      return {
        from: decade,
        to,
        filter: `${decade}-01-01,${to}-12-31`,
        decade,
        years: years.map(([year, count]) => ({ year, count, nofollow: year < asOfYear - 6 })),
        nofollow: true,
        count: years.reduce((s, [, c]) => s + c, 0),
      };
    });
    return this.yearFilters;
  }
}
