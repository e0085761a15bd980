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
