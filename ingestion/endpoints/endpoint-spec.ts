import { z } from 'zod';

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * A declarative API endpoint. The endpoint factory turns a source's specs into ingestion assets;
 * nothing here performs IO. `partition` binds a daily partition key to a query parameter
 * (`updated=D,D`); `snapshot` endpoints are fetched whole and keyed by the fetch date.
 */
export const ENDPOINT_SPEC = z.object({
  source: z.string().regex(NAME),
  entity: z.string().regex(NAME),
  description: z.string().min(1),
  path: z.string().startsWith('/'),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  paginator: z.object({
    type: z.literal('page_number'),
    pageSize: z.number().int().min(1).max(1000),
    /** `config` = use the source's configured page cap (large lists). */
    maxPages: z.union([z.number().int().min(1), z.literal('config')]).optional(),
  }),
  partition: z.discriminatedUnion('type', [
    z.object({ type: z.literal('daily'), param: z.string().min(1), start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    z.object({ type: z.literal('snapshot') }),
  ]),
  primaryKey: z.string().min(1).default('id'),
  itemSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'a zod schema'),
  /** Requests charged per page (RAWG charges one). */
  requestCost: z.number().int().min(1).default(1),
  group: z.string().regex(NAME),
  tags: z.array(z.string()).default([]),
});

export type EndpointSpecInput = z.input<typeof ENDPOINT_SPEC>;
export type EndpointSpec = z.output<typeof ENDPOINT_SPEC>;

/** Validates an endpoint declaration; throws a zod error naming the bad field. */
export function defineEndpoint(spec: EndpointSpecInput): EndpointSpec {
  return Object.freeze(ENDPOINT_SPEC.parse(spec));
}

/**
 * A detail endpoint fetched once per item of a daily parent endpoint (`/games/{id}` for the games
 * listed in `rawg/games` partition D). `version` names the parent field that changes when the item
 * does (`updated`): an item is fetched again only when its listed version is newer than the one of
 * the detail already committed for that partition, so re-runs cost nothing.
 */
export const DETAIL_SPEC = z.object({
  source: z.string().regex(NAME),
  entity: z.string().regex(NAME),
  description: z.string().min(1),
  path: z.string().startsWith('/').regex(/\{id\}/, 'the path must contain {id}'),
  parent: z.object({
    entity: z.string().regex(NAME),
    key: z.string().min(1).default('id'),
    version: z.string().min(1),
  }),
  itemSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'a zod schema'),
  /** Requests charged per item (RAWG charges one per detail). */
  requestCost: z.number().int().min(1).default(1),
  group: z.string().regex(NAME),
  tags: z.array(z.string()).default([]),
});

export type DetailSpecInput = z.input<typeof DETAIL_SPEC>;
export type DetailSpec = z.output<typeof DETAIL_SPEC>;

/** Validates a detail endpoint declaration; throws a zod error naming the bad field. */
export function defineDetailEndpoint(spec: DetailSpecInput): DetailSpec {
  return Object.freeze(DETAIL_SPEC.parse(spec));
}
