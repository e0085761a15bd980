import { z } from '@hono/zod-openapi';

const slug = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lowercase slug such as action or role-playing-games-rpg');

export const ContributionSchema = z.object({
  feature: z.string().openapi({ example: 'genres=role-playing-games-rpg' }),
  label: z.string().openapi({ example: 'genre: role-playing-games-rpg' }),
  value: z.number().nullable().openapi({ description: 'the feature value (1 for a category the game has; null when missing)' }),
  contribution: z.number().openapi({ description: 'what this feature added to the prediction, in rating points (rating) or log-odds (popularity)' }),
});

const ModelPredictionSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  runId: z.string(),
  target: z.string(),
  value: z.number().openapi({ description: 'the rating (0–5), or the probability of becoming popular' }),
  baseline: z.number().openapi({ description: 'the prediction before any feature (the training average, in the same units as contributions)' }),
  contributions: z.array(ContributionSchema).openapi({ description: 'the features that moved this prediction most (exact TreeSHAP values), largest first' }),
});

export const PredictionSchema = z
  .object({
    gameId: z.number().int().nullable(),
    rating: ModelPredictionSchema.nullable(),
    popularity: ModelPredictionSchema.nullable(),
  })
  .openapi('Prediction');

export const PredictRequestSchema = z
  .object({
    genres: z.array(slug).min(1).max(10).openapi({ example: ['action'] }),
    parent_platforms: z.array(slug).max(10).optional().openapi({ example: ['pc'] }),
    tags: z.array(slug).max(40).optional(),
    esrb_rating: slug.nullable().optional().openapi({ example: 'mature' }),
    publisher: slug.optional().openapi({ description: "a publisher's slug: its earlier games make its track record", example: 'electronic-arts' }),
    developers: z.array(slug).max(10).optional(),
    release_date: z.iso.date().openapi({ example: '2027-03-15' }),
    metacritic: z.number().int().min(0).max(100).nullable().optional(),
    playtime: z.number().min(0).max(10_000).optional(),
    platform_count: z.number().int().min(0).max(100).optional(),
    store_count: z.number().int().min(0).max(100).optional(),
  })
  .strict()
  .openapi('PredictRequest');

const MetricMap = z.record(z.string(), z.number());

export const MlRunSummarySchema = z
  .object({
    runId: z.string(),
    experiment: z.string(),
    name: z.string(),
    status: z.enum(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']),
    startTime: z.number().int(),
    endTime: z.number().int().nullable(),
    params: z.record(z.string(), z.string()),
    metrics: MetricMap.openapi({ description: 'each metric at its last step: rmse, baseline_rmse, linear_rmse … or auc, baseline_auc, linear_auc …' }),
    tags: z.record(z.string(), z.string()),
    artifacts: z.array(z.object({ path: z.string(), key: z.string(), bytes: z.number().int(), sha256: z.string() })),
    error: z.string().nullable(),
    version: z.object({ version: z.number().int(), aliases: z.array(z.string()) }).nullable(),
  })
  .openapi('MlRun');

export const RegisteredModelSchema = z
  .object({
    model: z.string(),
    description: z.string(),
    task: z.enum(['regression', 'classification']),
    versions: z.array(z.object({ model: z.string(), version: z.number().int(), runId: z.string(), createdAt: z.string(), aliases: z.array(z.string()) })),
    history: z.array(z.object({ model: z.string(), alias: z.string(), version: z.number().int(), at: z.string(), by: z.string(), reason: z.string() })),
  })
  .openapi('RegisteredModel');

export const PromoteResultSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    previous: z.number().int().nullable(),
    promoted: z.boolean(),
    comparison: z
      .object({ metric: z.enum(['rmse', 'auc']), higherIsBetter: z.boolean(), rows: z.number().int(), candidate: z.number(), production: z.number(), better: z.boolean() })
      .nullable(),
    reason: z.string(),
  })
  .openapi('PromoteResult');
