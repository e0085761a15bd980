import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { PlanReport, Workspace } from '../../app/index.js';
import { audit, cancelBackfill, launchRun, planMaterialize, requestCancel, requireRole, resumeBackfill, startBackfill, workspaceWithVars } from '../../app/index.js';
import type { RunRegistry } from '../run-registry.js';
import {
  BackfillRequestSchema,
  BackfillSchema,
  BackfillStartedSchema,
  CancelSchema,
  ErrorBodySchema,
  LaunchRequestSchema,
  LaunchedSchema,
  PreviewSchema,
} from './schemas.js';
import { json } from './openapi-json.js';

const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const refused = {
  401: json(ErrorBodySchema, 'not signed in'),
  400: json(ErrorBodySchema, 'a bad request: unknown selection (with "did you mean"), bad partition, malformed JSON'),
  403: json(ErrorBodySchema, 'read-only server, a cross-site request, or a role below operator'),
  409: json(ErrorBodySchema, 'over the request budget'),
};
const IdParam = (name: string) => z.object({ [name]: z.string().min(1).max(100).openapi({ param: { name, in: 'path' } }) });

/**
 * The plan without its steps: what a preview shows (steps per asset, partitions as a range, the
 * estimate). A run re-materializes what is up to date (`rerunsAll`); a backfill skips it.
 */
function toPreview(plan: PlanReport, rerunsAll: boolean): z.infer<typeof PreviewSchema> {
  const steps = plan.assets.reduce((n, a) => n + a.steps, 0);
  return {
    steps,
    toRun: rerunsAll ? steps : plan.toRun,
    materialized: plan.materialized,
    assets: plan.assets.map(({ asset, kind, steps: n, from, to, materialized, toRun }) => ({ asset, kind, steps: n, from, to, materialized, toRun: rerunsAll ? n : toRun })),
    ...(plan.budget
      ? {
          budget: {
            fits: plan.budget.fits,
            ledgers: plan.budget.budgets,
            estimate: {
              total: plan.budget.estimate.total,
              low: plan.budget.estimate.low,
              high: plan.budget.estimate.high,
              probeRequests: plan.budget.estimate.probeRequests,
              assets: plan.budget.estimate.assets.map(({ asset, steps, requests, low, high, basis, note }) => ({ asset, steps, requests, low, high, basis, ...(note ? { note } : {}) })),
            },
          },
        }
      : {}),
  };
}

/** Launching and canceling runs and backfills: the same planner, leases, budget and state store as the CLI. */
export function registerLaunchRoutes(api: OpenAPIHono, ws: Workspace, registry: RunRegistry): void {
  const withVars = (vars: Record<string, unknown> | undefined) => (vars ? workspaceWithVars(ws, vars) : ws);

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/runs',
      tags: ['runs'],
      summary: 'Launch a run (or, with preview, only plan it and estimate its API requests)',
      request: body(LaunchRequestSchema),
      responses: { 200: json(PreviewSchema, 'the preview: nothing ran'), 202: json(LaunchedSchema, 'launched: follow GET /api/v1/runs/{runId}'), ...refused },
    }),
    async (c) => {
      const { preview, vars, ...request } = c.req.valid('json');
      const principal = c.get('principal');
      // Even a preview may spend API requests (count probes): operators only.
      requireRole(principal, 'operator');
      const target = withVars(vars);
      if (preview) return c.json(toPreview(await planMaterialize(target, request, { forMaterialize: true }), true), 200);
      const controller = new AbortController();
      const launched = await launchRun(target, { ...request, kind: 'materialize' }, { signal: controller.signal });
      registry.track(launched.runId, controller, launched.done);
      await audit(ws, principal, 'run.launch', launched.runId, { ...request, ...(vars ? { vars } : {}) });
      return c.json({ runId: launched.runId, status: 'running' as const }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/runs/{runId}/cancel',
      tags: ['runs'],
      summary: 'Cancel a running run, wherever it runs (its process stops within seconds)',
      request: { params: IdParam('runId') },
      responses: { 202: json(CancelSchema, 'the cancel is under way, or the run had already finished'), 404: json(ErrorBodySchema, 'no such run'), 403: refused[403] },
    }),
    async (c) => {
      const { runId } = c.req.valid('param') as { runId: string };
      const principal = c.get('principal');
      requireRole(principal, 'operator');
      // Recorded first (the answer), then at once for a run of this process.
      const canceled = await requestCancel(ws, runId);
      if (canceled) registry.cancel(runId);
      await audit(ws, principal, 'run.cancel', runId, { canceled });
      return c.json({ runId, canceled, message: canceled ? 'canceling: steps not yet finished stop, finished ones stay' : 'the run had already finished' }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/backfills',
      tags: ['backfills'],
      summary: 'Start a backfill over a range (or, with preview, only plan and estimate it)',
      request: body(BackfillRequestSchema),
      responses: { 200: json(PreviewSchema, 'the preview: nothing ran'), 202: json(BackfillStartedSchema, 'started: follow GET /api/v1/backfills/{backfillId}'), ...refused },
    }),
    async (c) => {
      const { preview, vars, force, ...rest } = c.req.valid('json');
      const principal = c.get('principal');
      requireRole(principal, 'operator');
      const target = withVars(vars);
      const request = { ...rest, force };
      if (preview) return c.json(toPreview(await planMaterialize(target, request, { force }), force), 200);
      const controller = new AbortController();
      let done!: Promise<unknown>;
      const id = await new Promise<string>((resolve, reject) => {
        done = startBackfill(target, request, { signal: controller.signal, onCreated: (b) => resolve(b.backfillId) });
        // Refused before it was recorded (budget, usage): that is the answer; later it is a no-op.
        done.catch(reject);
      });
      registry.track(id, controller, done);
      await audit(ws, principal, 'backfill.start', id, { ...request, ...(vars ? { vars } : {}) });
      return c.json({ backfillId: id, status: 'running' as const }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/backfills/{backfillId}/resume',
      tags: ['backfills'],
      summary: 'Run the failed, canceled and unfinished partitions of a backfill again',
      request: { params: IdParam('backfillId') },
      responses: { 202: json(BackfillStartedSchema, 'resumed'), 404: json(ErrorBodySchema, 'no such backfill'), ...refused },
    }),
    async (c) => {
      const { backfillId } = c.req.valid('param') as { backfillId: string };
      const principal = c.get('principal');
      requireRole(principal, 'operator');
      // A cancel of this server's own run of it may still be winding down: let it finish first,
      // so its last word (canceled) does not land after the resume's.
      await registry.settled(backfillId);
      const controller = new AbortController();
      await new Promise<void>((resolve, reject) => {
        const done = resumeBackfill(ws, backfillId, { signal: controller.signal, onCreated: () => resolve() });
        done.catch(reject);
        registry.track(backfillId, controller, done);
      });
      await audit(ws, principal, 'backfill.resume', backfillId);
      return c.json({ backfillId, status: 'running' as const }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/backfills/{backfillId}/cancel',
      tags: ['backfills'],
      summary: 'Stop a backfill: the process running it cancels its steps within seconds',
      request: { params: IdParam('backfillId') },
      responses: { 200: json(BackfillSchema.shape.backfill, 'the backfill, canceled'), 404: json(ErrorBodySchema, 'no such backfill'), 403: refused[403] },
    }),
    async (c) => {
      const { backfillId } = c.req.valid('param') as { backfillId: string };
      const principal = c.get('principal');
      requireRole(principal, 'operator');
      registry.cancel(backfillId);
      const backfill = await cancelBackfill(ws, backfillId);
      await audit(ws, principal, 'backfill.cancel', backfillId);
      return c.json(backfill, 200);
    },
  );
}
