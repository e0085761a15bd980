import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Workspace } from '../../app/index.js';
import { backfillStatus, budgetReport, daemonStatus, listBackfills, listSchedules, modelsDirOf, pageCheckResults, pipelineStatus, queryLineage } from '../../app/index.js';
import {
  BackfillDetailSchema,
  BackfillsSchema,
  BudgetSchema,
  CheckHistorySchema,
  ColumnsSchema,
  ErrorBodySchema,
  LineageSchema,
  PageQuerySchema,
  SchedulesSchema,
  StatusSchema,
} from './schemas.js';
import { json } from './openapi-json.js';

const notFound = json(ErrorBodySchema, 'no such thing');
const AssetParam = z.object({ key: z.string().min(1).openapi({ param: { name: 'key', in: 'path' }, example: 'marts%2Fdim_games', description: 'the asset key, URL-encoded' }) });

/** Read routes over the platform's operations: status, budget, schedules, backfills, lineage. */
export function registerOpsRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/status', tags: ['status'], summary: 'Freshness of every asset (partition D due by D+1 06:00 UTC) and its latest checks', responses: { 200: json(StatusSchema, 'every asset') } }),
    async (c) => c.json({ assets: await pipelineStatus(ws) }, 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/budget', tags: ['status'], summary: 'API requests used today and this month, per endpoint ledger', responses: { 200: json(BudgetSchema, 'every ledger, the one in use first') } }),
    async (c) => c.json({ ledgers: await budgetReport(ws) }, 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/schedules', tags: ['schedules'], summary: 'The schedules with their next and last tick, and the daemons that run them', responses: { 200: json(SchedulesSchema, 'every schedule and recent daemon') } }),
    async (c) => {
      const [schedules, daemons] = await Promise.all([listSchedules(ws), daemonStatus(ws)]);
      return c.json({ schedules, daemons }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/backfills',
      tags: ['backfills'],
      summary: 'Recent backfills with their progress (an interrupted one says so)',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
      responses: { 200: json(BackfillsSchema, 'newest first') },
    }),
    async (c) => c.json({ backfills: await listBackfills(ws, { limit: c.req.valid('query').limit }) }, 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/backfills/{backfillId}',
      tags: ['backfills'],
      summary: 'One backfill: partitions per status, per asset, and every failure',
      request: { params: z.object({ backfillId: z.string().min(1).max(100).openapi({ param: { name: 'backfillId', in: 'path' } }) }) },
      responses: { 200: json(BackfillDetailSchema, 'the backfill'), 404: notFound },
    }),
    async (c) => c.json(await backfillStatus(ws, c.req.valid('param').backfillId), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets/{key}/lineage',
      tags: ['assets'],
      summary: 'What an asset reads and what reads it, from the compiled SQL',
      request: { params: AssetParam, query: z.object({ direction: z.enum(['upstream', 'downstream', 'both']).default('both') }) },
      responses: { 200: json(LineageSchema, 'assets up and down, with the edges between them'), 400: notFound, 404: notFound },
    }),
    async (c) => {
      const result = await queryLineage({ asset: c.req.valid('param').key, direction: c.req.valid('query').direction, projectDir: modelsDirOf(ws.config) });
      if (result.kind !== 'assets') throw new Error('asset lineage expected');
      const brief = (a: { key: string; relation: string; kind: string; materialized?: string }) => ({ key: a.key, relation: a.relation, kind: a.materialized ?? a.kind });
      const { direction } = result;
      return c.json(
        {
          asset: result.asset.key,
          direction,
          upstream: direction === 'downstream' ? [] : result.upstream.map(brief),
          downstream: direction === 'upstream' ? [] : result.downstream.map(brief),
          edges: result.walk.edges,
        },
        200,
      );
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets/{key}/checks',
      tags: ['assets'],
      summary: "Every result of an asset's checks, newest first, cursor-paged",
      request: { params: AssetParam, query: PageQuerySchema },
      responses: { 200: json(CheckHistorySchema, 'a page of check results'), 400: notFound, 404: notFound },
    }),
    async (c) => {
      const { key } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const page = await pageCheckResults(ws, key, { limit, ...(cursor ? { cursor } : {}) });
      return c.json({ asset: key, results: page.results.map(({ id, check, partition, status, severity, at, runId }) => ({ id, check, partition, status, severity, at, runId })), next: page.next }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/assets/{key}/columns',
      tags: ['assets'],
      summary: "An asset's columns and where each comes from (column lineage)",
      request: { params: AssetParam },
      responses: { 200: json(ColumnsSchema, 'every column'), 404: notFound },
    }),
    async (c) => {
      const result = await queryLineage({ asset: c.req.valid('param').key, columns: true, direction: 'upstream', projectDir: modelsDirOf(ws.config) });
      if (result.kind !== 'columns') throw new Error('column lineage expected');
      return c.json(
        {
          asset: result.asset,
          relation: result.relation,
          resolved: result.resolved,
          ...(result.reason ? { reason: result.reason } : {}),
          columns: result.columns.map((col) => ({
            column: col.column,
            resolved: col.resolved,
            ...(col.reason ? { reason: col.reason } : {}),
            sources: col.sources.map((s) => ({ relation: s.relation, column: s.column, ...(s.path ? { path: s.path } : {}) })),
            ...(col.origins ? { origins: col.origins } : {}),
          })),
        },
        200,
      );
    },
  );
}
