import { z } from '@hono/zod-openapi';
import { GAME_ORDERINGS } from '../../app/index.js';

const Named = z.object({ slug: z.string(), name: z.string() });

export const DataVersionSchema = z
  .object({ runId: z.string(), publishedAt: z.string(), tag: z.string() })
  .nullable()
  .openapi('DataVersion', { description: 'the run that built the marts this answer reads, and when; null before any did' });

export const GameSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    released: z.string().nullable(),
    tba: z.boolean(),
    rating: z.number().nullable(),
    ratings_count: z.number().nullable(),
    metacritic: z.number().nullable(),
    playtime: z.number().nullable(),
    added: z.number().nullable(),
    esrb_rating: z.string().nullable(),
    background_image: z.string().nullable().openapi({ description: "RAWG's CDN; pages show it only when the user turns remote images on" }),
    updated: z.string().nullable(),
    genres: z.array(Named),
    parent_platforms: z.array(Named),
  })
  .openapi('GameSummary');

export const GamesPageSchema = z
  .object({ games: z.array(GameSummarySchema), total: z.number().int(), next: z.string().nullable(), data: DataVersionSchema })
  .openapi('GamesPage');

export const GameDetailSchema = GameSummarySchema.extend({
  rating_top: z.number().nullable(),
  reviews_text_count: z.number().nullable(),
  last_seen_dt: z.string().nullable(),
  platforms: z.array(Named),
  stores: z.array(Named),
  tags: z.array(Named),
  developers: z.array(Named),
  publishers: z.array(Named),
  data: DataVersionSchema,
}).openapi('GameDetail');

export const TaxonomySchema = z
  .object({ items: z.array(Named.extend({ games: z.number().int() })), data: DataVersionSchema })
  .openapi('Taxonomy');

const slugList = (what: string) =>
  z
    .string()
    .max(2000)
    .optional()
    .openapi({ description: `${what} slugs, comma-separated: a game matches any of them`, example: what === 'genre' ? 'action,indie' : undefined })
    .transform((v) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean)));
const number = (description: string) => z.coerce.number().finite().optional().openapi({ description });
const isoDate = (description: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional().openapi({ description });

export const GamesQuerySchema = z.object({
  search: z.string().max(200).optional().openapi({ description: 'a case-insensitive part of the name, in any script' }),
  genres: slugList('genre'),
  platforms: slugList('platform'),
  parent_platforms: slugList('parent platform'),
  stores: slugList('store'),
  tags: slugList('tag'),
  developers: slugList('developer'),
  publishers: slugList('publisher'),
  rating_min: number('average rating at least (0-5)'),
  rating_max: number('average rating at most (0-5)'),
  metacritic_min: number('Metacritic at least (0-100)'),
  metacritic_max: number('Metacritic at most (0-100)'),
  released_from: isoDate('released on or after'),
  released_to: isoDate('released on or before'),
  tba: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  ordering: z
    .string()
    .max(30)
    .optional()
    .openapi({ description: `one of ${GAME_ORDERINGS.join(', ')}; - for descending (e.g. -rating). Games without a value come last; ties by id` }),
  page_size: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().max(300).optional().openapi({ description: 'the `next` of the previous page' }),
});

export const StatSchema = z
  .object({
    stat: z.string(),
    description: z.string(),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    data: DataVersionSchema,
  })
  .openapi('MarketStat');

/** The explorer's filters, for aggregates: no ordering or paging, a `limit` for top-N lists. */
export const StatQuerySchema = GamesQuerySchema.omit({ ordering: true, page_size: true, cursor: true }).extend({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'rows of a top-N statistic (1-100)' }),
});
