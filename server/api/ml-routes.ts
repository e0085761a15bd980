import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { audit, listMlRuns, listRegisteredModels, predictFeatures, predictGame, promoteModel, requireRole, showMlRun, type Workspace } from '../../app/index.js';
import { json } from './openapi-json.js';
import { MlRunSummarySchema, PredictionSchema, PredictRequestSchema, PromoteResultSchema, RegisteredModelSchema } from './ml-schemas.js';
import { ErrorBodySchema } from './schemas.js';

const MODELS = ['game_rating_model', 'game_popularity_model'] as const;

/** Predictions (online, scored in TypeScript from the saved models), training runs and the registry. */
export function registerMlRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/games/{id}/prediction',
      tags: ['ml'],
      summary: "The production models' predictions for a game (rating, probability of becoming popular), each with its top contributing features",
      request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 3498 }) }) },
      responses: {
        200: json(PredictionSchema, 'the predictions'),
        400: json(ErrorBodySchema, 'a bad id'),
        404: json(ErrorBodySchema, 'no such game, or no model in production yet'),
      },
    }),
    async (c) => c.json(await predictGame(ws, c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/predict',
      tags: ['ml'],
      summary: 'Predictions for a game that does not exist yet, described by its genres, platforms, publisher, release date …: its track record comes from the marts',
      request: { body: { content: { 'application/json': { schema: PredictRequestSchema } }, required: true } },
      responses: {
        200: json(PredictionSchema, 'the predictions'),
        400: json(ErrorBodySchema, 'a field of the wrong type, or a slug the models or marts do not know (the message names the field)'),
        404: json(ErrorBodySchema, 'no model in production yet'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const input = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as unknown as Parameters<typeof predictFeatures>[1];
      return c.json(await predictFeatures(ws, input), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ml/runs',
      tags: ['ml'],
      summary: 'Training runs, the latest first, in MLflow’s shape: status, params, each metric at its last step (holdout metrics and baselines), tags, artifacts',
      request: {
        query: z.object({
          model: z.enum(MODELS).optional(),
          status: z.enum(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
        }),
      },
      responses: { 200: json(z.object({ runs: z.array(MlRunSummarySchema) }), 'runs'), 400: json(ErrorBodySchema, 'a bad parameter') },
    }),
    async (c) => {
      const { model, status, limit } = c.req.valid('query');
      return c.json({ runs: await listMlRuns(ws, { ...(model ? { model } : {}), ...(status ? { status } : {}), limit }) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ml/runs/{id}',
      tags: ['ml'],
      summary: 'One training run with every metric point (the boosting rounds)',
      request: { params: z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        200: json(
          MlRunSummarySchema.omit({ metrics: true }).extend({ metrics: z.array(z.object({ key: z.string(), value: z.number(), step: z.number().int(), timestamp: z.number().int() })) }),
          'the run',
        ),
        404: json(ErrorBodySchema, 'no such run'),
      },
    }),
    async (c) => c.json(await showMlRun(ws, c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ml/models',
      tags: ['ml'],
      summary: 'The registered models: versions, aliases (production, candidate) and who moved them',
      responses: { 200: json(z.object({ models: z.array(RegisteredModelSchema) }), 'models') },
    }),
    async (c) => c.json({ models: await listRegisteredModels(ws) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/ml/models/{model}/promote',
      tags: ['ml'],
      summary: 'Point production at a version (operators): refused (409) unless it beats production on the same holdout, or forced',
      request: {
        params: z.object({ model: z.enum(MODELS).openapi({ param: { name: 'model', in: 'path' } }) }),
        body: { content: { 'application/json': { schema: z.object({ version: z.number().int().positive(), force: z.boolean().default(false) }).strict() } }, required: true },
      },
      responses: {
        200: json(PromoteResultSchema, 'promoted (or production already)'),
        400: json(ErrorBodySchema, 'a bad request'),
        403: json(ErrorBodySchema, 'operators only'),
        404: json(ErrorBodySchema, 'no such version'),
        409: json(ErrorBodySchema, 'refused: not better than production on the same holdout'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'operator');
      const { model } = c.req.valid('param');
      const { version, force } = c.req.valid('json');
      const result = await promoteModel(ws, { model, version, force, by: principal.name });
      await audit(ws, principal, 'model.promote', `${model}@${version}`, { forced: force, reason: result.reason });
      return c.json(result, 200);
    },
  );
}
