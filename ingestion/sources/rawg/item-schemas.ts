import { z } from 'zod';

// Item schemas check what staging relies on and keep everything else (schema drift is normal on
// RAWG): `looseObject` passes unknown keys through, and optional fields tolerate the trimmed and
// older shapes seen in the recorded responses.
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/;

const named = z.looseObject({ id: z.number().int(), name: z.string().optional(), slug: z.string().optional() });
const count = z.number().int().nonnegative();

/** A `/games` list item (full or slim shape) or a `/games/{id}` detail. */
export const GAME_ITEM = z.looseObject({
  id: z.number().int().positive(),
  slug: z.string().min(1),
  name: z.string(),
  released: z.string().regex(DAY).nullable().optional(),
  tba: z.boolean().optional(),
  updated: z.string().regex(TIMESTAMP).optional(),
  rating: z.number().min(0).max(5).optional(),
  rating_top: z.number().int().optional(),
  ratings_count: count.optional(),
  reviews_count: count.optional(),
  added: count.optional(),
  metacritic: z.number().int().min(0).max(100).nullable().optional(),
  playtime: count.optional(),
  esrb_rating: named.nullable().optional(),
  platforms: z.array(z.looseObject({ platform: named })).nullable().optional(),
  parent_platforms: z.array(z.looseObject({ platform: named })).nullable().optional(),
  stores: z.array(z.looseObject({ store: named })).nullable().optional(),
  genres: z.array(named).nullable().optional(),
  tags: z.array(named).nullable().optional(),
  developers: z.array(named).nullable().optional(),
  publishers: z.array(named).nullable().optional(),
});

/** Genres, stores, tags, creator roles, developers, publishers: `{id, name, slug, …}`. */
export const TAXONOMY_ITEM = z.looseObject({ id: z.number().int(), name: z.string(), slug: z.string() });

/** `/platforms` items add nullable years and image. */
export const PLATFORM_ITEM = TAXONOMY_ITEM.extend({
  year_start: z.number().int().nullable().optional(),
  year_end: z.number().int().nullable().optional(),
});

/** `/platforms/lists/parents` items nest their platforms. */
export const PARENT_PLATFORM_ITEM = TAXONOMY_ITEM.extend({ platforms: z.array(named).optional() });
