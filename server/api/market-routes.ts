import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { dataVersion, exportGamesCsv, getGame, listTaxonomy, marketStat, searchGames, STAT_NAMES, STATS, TAXONOMY_NAMES, type DataVersion, type Workspace } from '../../app/index.js';
import { GameDetailSchema, GamesPageSchema, GamesQuerySchema, StatQuerySchema, StatSchema, TaxonomySchema } from './market-schemas.js';
import { ErrorBodySchema } from './schemas.js';
import { json } from './openapi-json.js';
import { csvResponse } from './csv-response.js';

const errors = { 400: json(ErrorBodySchema, 'a bad parameter'), 404: json(ErrorBodySchema, 'no such game') };
const notModified = { 304: { description: 'unchanged since the ETag you sent (the data version)' } };
const CACHE_ENTRIES = 500;

/** The parameters given, without the absent ones (exactOptionalPropertyTypes keeps `undefined` out of app queries). */
function given<T extends object>(query: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * Answers of the market API, keyed by data version and query: a repeat is served from memory until
 * a run publishes new marts (the version changes, and the old entries fall out).
 */
function createAnswerCache() {
  const entries = new Map<string, unknown>();
  return {
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (entries.has(key)) {
        const hit = entries.get(key) as T;
        entries.delete(key);
        entries.set(key, hit); // most recently used last
        return hit;
      }
      const value = await compute();
      entries.set(key, value);
      if (entries.size > CACHE_ENTRIES) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}

/** The market: games with filters, sorting and paging, one game, and the lists to filter by. */
export function registerMarketRoutes(api: OpenAPIHono, ws: Workspace): void {
  const cache = createAnswerCache();
  // ETag = the data version: If-None-Match with it answers 304 without touching the warehouse.
  const cached = async (c: Context, compute: (version: DataVersion | null) => Promise<unknown>): Promise<Response> => {
    const version = await dataVersion(ws);
    const etag = `"${version?.tag ?? 'empty'}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, no-cache');
    if (version) c.header('X-Data-Run', version.runId);
    if (c.req.header('if-none-match')?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304);
    const url = new URL(c.req.url);
    url.searchParams.sort();
    return c.json(await cache.get(`${etag}|${url.pathname}?${url.searchParams.toString()}`, () => compute(version)), 200);
  };

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/games',
      tags: ['market'],
      summary: 'Games, filtered by name and by genre, platform, store, tag, developer or publisher slugs, ratings and dates; sorted on any column; paged with the total count',
      request: { query: GamesQuerySchema },
      responses: { 200: json(GamesPageSchema, 'a page of games'), ...notModified, 400: errors[400] },
    }),
    (c) => cached(c, () => searchGames(ws, given(c.req.valid('query')))),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/games.csv',
      tags: ['market'],
      summary: 'Every game the filters keep, in the order asked, as CSV (streamed: any size, flat memory)',
      request: { query: GamesQuerySchema.omit({ page_size: true, cursor: true }) },
      responses: { 200: { description: 'CSV with a header line', content: { 'text/csv': { schema: z.string() } } }, 400: errors[400] },
    }),
    async (c) => {
      const query = given(c.req.valid('query'));
      return csvResponse(exportGamesCsv(ws, query, { signal: c.req.raw.signal }), 'games.csv');
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/games/{id}',
      tags: ['market'],
      summary: 'Everything the marts know of one game',
      request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 3498 }) }) },
      responses: { 200: json(GameDetailSchema, 'the game'), ...notModified, 400: errors[400], 404: errors[404] },
    }),
    (c) => cached(c, () => getGame(ws, c.req.valid('param').id)),
  );

  for (const taxonomy of [...TAXONOMY_NAMES, 'parent_platforms'] as const) {
    const path = `/api/v1/${taxonomy.replace('_', '-')}`;
    api.openapi(
      createRoute({
        method: 'get',
        path,
        tags: ['market'],
        summary: `Every ${taxonomy.replace('_', ' ')} with how many games of the marts it has, the most first (the slugs /games filters by)`,
        responses: { 200: json(TaxonomySchema, taxonomy), ...notModified },
      }),
      (c) => cached(c, async (data) => ({ items: await listTaxonomy(ws, taxonomy), data })),
    );
  }

  for (const stat of STAT_NAMES) {
    api.openapi(
      createRoute({
        method: 'get',
        path: `/api/v1/stats/${stat}`,
        tags: ['market'],
        summary: `${STATS[stat].description}, over the games the filters keep`,
        request: { query: StatQuerySchema },
        responses: { 200: json(StatSchema, stat), ...notModified, 400: errors[400] },
      }),
      (c) => {
        const { limit, ...filters } = c.req.valid('query');
        return cached(c, () => marketStat(ws, stat, given(filters), { limit }));
      },
    );
  }
}
