import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Workspace } from '../../app/index.js';
import { EVENT_LEVELS, eventLevel, getAsset, getRun, pageAssets, pageRunEvents, pageRuns, partitionStatus } from '../../app/index.js';
import {
  AssetDetailSchema,
  AssetsPageSchema,
  ErrorBodySchema,
  EventsPageSchema,
  PageQuerySchema,
  PartitionsSchema,
  RunDetailSchema,
  RunStatusSchema,
  RunsPageSchema,
  EventSchema,
} from './schemas.js';
import { json } from './openapi-json.js';

const errors = {
  400: json(ErrorBodySchema, 'a bad parameter'),
  404: json(ErrorBodySchema, 'no such thing'),
};
// Asset keys hold slashes: in a path they are URL-encoded (`rawg%2Fgames`).
const AssetParam = z.object({ key: z.string().min(1).openapi({ param: { name: 'key', in: 'path' }, example: 'rawg%2Fgames', description: 'the asset key, URL-encoded' }) });
const RunParam = z.object({ runId: z.string().min(1).max(100).openapi({ param: { name: 'runId', in: 'path' } }) });
const EVENT_TYPES = EventSchema.shape.type.options;

/** Read-only routes: assets, partitions as ranges, runs and their events. */
export function registerReadRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets',
      tags: ['assets'],
      summary: 'Assets in graph order, filtered, cursor-paged',
      request: {
        query: PageQuerySchema.extend({
          group: z.string().max(100).optional(),
          kind: AssetDetailSchema.shape.kind.optional(),
          tag: z.string().max(100).optional(),
          q: z.string().max(200).optional().openapi({ description: 'a case-insensitive substring of the key or description' }),
        }),
      },
      responses: { 200: json(AssetsPageSchema, 'a page of assets'), 400: errors[400] },
    }),
    (c) => {
      const q = c.req.valid('query');
      return c.json(
        pageAssets(ws, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.group ? { group: q.group } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.tag ? { tag: q.tag } : {}), ...(q.q ? { q: q.q } : {}) }),
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets/{key}',
      tags: ['assets'],
      summary: 'One asset, with what reads it',
      request: { params: AssetParam },
      responses: { 200: json(AssetDetailSchema, 'the asset'), 404: errors[404] },
    }),
    (c) => c.json(getAsset(ws, c.req.valid('param').key), 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets/{key}/partitions',
      tags: ['assets'],
      summary: "An asset's partitions as status ranges (never one element per key)",
      request: { params: AssetParam },
      responses: { 200: json(PartitionsSchema, 'the ranges and counts'), 404: errors[404] },
    }),
    async (c) => c.json(await partitionStatus(ws, c.req.valid('param').key), 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/runs',
      tags: ['runs'],
      summary: 'Runs newest first, filtered, cursor-paged',
      request: {
        query: PageQuerySchema.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          status: RunStatusSchema.exclude(['abandoned']).optional(),
          kind: z.string().max(100).optional().openapi({ example: 'backfill' }),
        }),
      },
      responses: { 200: json(RunsPageSchema, 'a page of runs'), 400: errors[400] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await pageRuns(ws, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.status ? { status: q.status } : {}), ...(q.kind ? { kind: q.kind } : {}) }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/runs/{runId}',
      tags: ['runs'],
      summary: 'One run with its steps',
      request: { params: RunParam },
      responses: { 200: json(RunDetailSchema, 'the run'), 404: errors[404] },
    }),
    async (c) => c.json(await getRun(ws, c.req.valid('param').runId), 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/runs/{runId}/events',
      tags: ['runs'],
      summary: "A run's events, filtered on the server, cursor-paged",
      request: {
        params: RunParam,
        query: PageQuerySchema.extend({
          type: z
            .string()
            .optional()
            .openapi({ description: `comma-separated: ${EVENT_TYPES.join(', ')}` })
            .transform((v, ctx) => {
              if (v === undefined) return undefined;
              const types = v.split(',').map((t) => t.trim()).filter(Boolean);
              const bad = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
              if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `unknown event type(s) ${bad.join(', ')}: expected ${EVENT_TYPES.join(', ')}` });
              return types as (typeof EVENT_TYPES)[number][];
            }),
          level: z.enum(EVENT_LEVELS).optional().openapi({ description: 'error: failed steps; warn: and skipped steps; info: every event' }),
          asset: z.string().max(300).optional(),
          partition: z.string().max(100).optional().openapi({ description: "with asset, one step's events" }),
          q: z.string().max(200).optional().openapi({ description: 'a case-insensitive substring of the message' }),
        }),
      },
      responses: { 200: json(EventsPageSchema, 'a page of events'), 400: errors[400], 404: errors[404] },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const q = c.req.valid('query');
      const page = await pageRunEvents(ws, runId, {
        limit: q.limit,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.type ? { types: q.type } : {}),
        ...(q.level ? { level: q.level } : {}),
        ...(q.asset ? { asset: q.asset } : {}),
        ...(q.partition ? { partition: q.partition } : {}),
        ...(q.q ? { q: q.q } : {}),
      });
      return c.json({ events: page.events.map(({ id, ts, type, asset, partition, message }) => ({ id: id!, ts, type, level: eventLevel(type), asset, partition, message })), next: page.next }, 200);
    },
  );
}
