import { dateToKey, unpartitioned, type AssetContext, type AssetDefinition, type MaterializeResult } from '../../core/index.js';
import { openPartitionWriter } from '../../lake/index.js';
import {
  GAME_MODELS,
  PSI_SHIFT,
  encodeRow,
  loadSavedModel,
  mirrorRunToMlflow,
  populationStability,
  productionVersions,
  predictRow,
  readArtifactBytes,
  runTraining,
  TrainingDataError,
  type FeatureRow,
  type GameModelDefinition,
  type LoadedModel,
  type TrainingOutcome,
} from '../../ml/index.js';
import type { Project } from '../../transform/index.js';
import { codeVersion } from './code-version.js';
import type { RawEntity } from './event-definitions.js';
import type { PipelineResources } from './pipeline-resources.js';

/** The features mart the models learn from and score. */
export const FEATURES_ASSET = 'marts/ml_game_features';
/** The mart of batch predictions (read from the lake) the live-error check reads. */
const PREDICTIONS_MART = 'marts/fct_game_predictions';
const FEATURES_RELATION = 'marts.ml_game_features';
/** Batch predictions: one lake record per game and day, read as `raw.ml_game_predictions`. */
export const PREDICTION_ENTITIES: readonly RawEntity[] = [{ source: 'ml', entity: 'game_predictions', relation: 'raw.ml_game_predictions' }];

/** `ml/game_rating_model`. */
export const trainingAssetKey = (definition: GameModelDefinition): string => `ml/${definition.model}`;

/**
 * The ML assets: one training asset per model (a run tracked in MLflow's shape, a registered
 * version, promoted when better) and the batch scoring of every game with the production models.
 */
export function createMlAssets(project: Project): AssetDefinition<PipelineResources>[] {
  // A project of its own models (GMP_MODELS_DIR) without the features mart has no ML assets.
  const has = (name: string) => project.models.some((m) => `${m.schema}/${m.name}` === name);
  if (!has(FEATURES_ASSET)) return [];
  const training = GAME_MODELS.map(
    (definition): AssetDefinition<PipelineResources> => ({
      key: trainingAssetKey(definition),
      description: `${definition.description} Trains XGBoost (in a child process) on a time split of ${FEATURES_RELATION}, tracks the run with a mean and a linear baseline, registers a version and promotes it to production only if it beats production on the same holdout.`,
      deps: [{ key: FEATURES_ASSET }],
      partitions: unpartitioned,
      group: 'ml',
      kind: 'ml',
      tags: ['ml', 'training'],
      materialize: (ctx) => train(ctx, definition),
    }),
  );
  const predictions: AssetDefinition<PipelineResources> = {
    key: 'ml/game_predictions',
    description: `Every game of ${FEATURES_RELATION} scored by the production version of each model (the version recorded per row), committed to the lake as the day's snapshot and read as raw.ml_game_predictions.`,
    deps: [{ key: FEATURES_ASSET }, ...training.map((t) => ({ key: t.key }))],
    partitions: unpartitioned,
    group: 'ml',
    kind: 'ml',
    tags: ['ml', 'scoring'],
    materialize: score,
  };
  return [...training, predictions, ...createMlChecks(has(PREDICTIONS_MART))];
}

/** `checks/ml/game_rating_model/feature_drift`: the checks' keys, as for SQL checks. */
const checkKey = (asset: string, name: string): string => `checks/${asset}/${name}`;

/**
 * Monitoring, as warning checks recorded like every other check: per model, the population
 * stability index of today's features against the production version's training set; and the
 * rating model's error on games rated since its training cut-off, against its holdout error.
 */
function createMlChecks(withPredictionsMart: boolean): AssetDefinition<PipelineResources>[] {
  const drift = GAME_MODELS.map(
    (definition): AssetDefinition<PipelineResources> => ({
      key: checkKey(trainingAssetKey(definition), 'feature_drift'),
      description: `warning check on ${trainingAssetKey(definition)}: today's ${FEATURES_RELATION} against the production version's training distributions (population stability index per numeric feature; warns above ${PSI_SHIFT})`,
      // The checked asset first (as every check node has it), then what the check reads.
      deps: [{ key: trainingAssetKey(definition) }, { key: FEATURES_ASSET }],
      partitions: unpartitioned,
      group: 'checks',
      kind: 'check',
      tags: ['warn', 'ml'],
      async materialize(ctx) {
        const production = (await loadProductionModels(ctx)).find((m) => m.definition.model === definition.model);
        if (production === undefined) return recordMlCheck(ctx, trainingAssetKey(definition), 'feature_drift', 'passed', { note: 'no production version yet' });
        const psi = populationStability(production.model.saved.reference, await featureRows(ctx));
        const worst = psi.reduce((a, b) => (b.psi > a.psi ? b : a), { feature: '-', psi: 0 });
        const shifted = psi.filter((p) => p.psi > PSI_SHIFT).map((p) => p.feature);
        const message = `${shifted.join(', ')} moved since v${production.version} was trained (PSI above ${PSI_SHIFT}; the largest ${round(worst.psi)} for ${worst.feature})`;
        const metadata = {
          version: production.version,
          max_psi: round(worst.psi),
          max_psi_feature: worst.feature,
          shifted,
          psi: Object.fromEntries(psi.map((p) => [p.feature, round(p.psi)])),
          ...(shifted.length > 0 ? { message } : {}),
        };
        return recordMlCheck(ctx, trainingAssetKey(definition), 'feature_drift', shifted.length > 0 ? 'warned' : 'passed', metadata);
      },
    }),
  );
  const rating = GAME_MODELS.find((d) => d.task === 'regression')!;
  const error: AssetDefinition<PipelineResources> = {
    key: checkKey(PREDICTIONS_MART, 'rating_error'),
    description: `warning check on marts/fct_game_predictions: the rating model's RMSE on games rated since its training cut-off, against its holdout RMSE (warns above ${ERROR_GROWTH}×)`,
    deps: [{ key: PREDICTIONS_MART }],
    partitions: unpartitioned,
    group: 'checks',
    kind: 'check',
    tags: ['warn', 'ml'],
    async materialize(ctx) {
      const production = (await loadProductionModels(ctx)).find((m) => m.definition.model === rating.model);
      if (production === undefined) return recordMlCheck(ctx, PREDICTIONS_MART, 'rating_error', 'passed', { note: 'no production version yet' });
      const [row] = await ctx.resources.warehouse.query(
        `select count(*) as n, sqrt(avg(rating_error * rating_error)) as rmse from marts.fct_game_predictions
         where rating_error is not null and rating_model_version = ? and released >= cast(? as date)`,
        { signal: ctx.signal, params: [production.version, production.model.saved.cutoff] },
      );
      const run = await ctx.resources.state.getMlRun(production.model.runId);
      const holdout = run?.metrics.find((m) => m.key === 'rmse')?.value;
      const live = row?.rmse === null || row?.rmse === undefined ? null : Number(row.rmse);
      const grown = live !== null && holdout !== undefined && live > holdout * ERROR_GROWTH;
      const metadata = {
        version: production.version,
        rated_games: Number(row?.n ?? 0),
        live_rmse: live === null ? null : round(live),
        holdout_rmse: holdout === undefined ? null : round(holdout),
        ...(grown ? { message: `RMSE ${round(live)} on ${Number(row?.n ?? 0)} games rated since the cut-off, against ${round(holdout)} on the holdout` } : {}),
      };
      return recordMlCheck(ctx, PREDICTIONS_MART, 'rating_error', grown ? 'warned' : 'passed', metadata);
    },
  };
  return withPredictionsMart ? [...drift, error] : drift;
}

const ERROR_GROWTH = 1.25;
const round = (v: number): number => Math.round(v * 10_000) / 10_000;

async function recordMlCheck(ctx: AssetContext<PipelineResources>, asset: string, check: string, status: 'passed' | 'warned', metadata: Record<string, unknown>): Promise<MaterializeResult> {
  await ctx.resources.state.recordCheckResult({ runId: ctx.runId, asset, partition: null, check, status, severity: 'warn', at: ctx.clock.now().toISOString(), metadata });
  if (status === 'warned') ctx.logger.warn({ check, ...metadata }, `check ${check} warned: ${String(metadata.message)}`);
  return { rows: 0, metadata: { check, status, ...metadata } };
}

async function featureRows(ctx: AssetContext<PipelineResources>): Promise<FeatureRow[]> {
  return ctx.resources.warehouse.query(`select * from ${FEATURES_RELATION} order by game_id`, { signal: ctx.signal });
}

async function train(ctx: AssetContext<PipelineResources>, definition: GameModelDefinition): Promise<MaterializeResult> {
  const { lake, state, ml } = ctx.resources;
  const rows = await featureRows(ctx);
  const mlflowUri = ml.mlflowTrackingUri;
  const mlRunId = `${ctx.runId}-${definition.model}`;
  let outcome: TrainingOutcome;
  try {
    outcome = await runTraining({
      definition,
      rows,
      asOf: dateToKey(ctx.clock.now()),
      minRows: ml.minRows,
      store: state,
      lake,
      clock: ctx.clock,
      logger: ctx.logger,
      runId: mlRunId,
      tags: { 'gmp.run_id': ctx.runId, 'gmp.code_version': codeVersion(), 'gmp.asset': ctx.assetKey },
      signal: ctx.signal,
      ...(ml.xgboostLibrary === undefined ? {} : { libraryPath: ml.xgboostLibrary }),
      ...(mlflowUri === undefined
        ? {}
        : {
            mirror: async (run) => {
              const env: NodeJS.ProcessEnv = {};
              if (ml.mlflowToken !== undefined) env.MLFLOW_TRACKING_TOKEN = ml.mlflowToken;
              if (ml.mlflowUsername !== undefined) env.MLFLOW_TRACKING_USERNAME = ml.mlflowUsername;
              if (ml.mlflowPassword !== undefined) env.MLFLOW_TRACKING_PASSWORD = ml.mlflowPassword;
              const mirrored = await mirrorRunToMlflow(run, (ref) => readArtifactBytes(lake, ref, ctx.signal), { trackingUri: mlflowUri, signal: ctx.signal, env });
              return mirrored.runUrl;
            },
          }),
    });
  } catch (error) {
    // Too little data is not a pipeline failure: the ML run is recorded FAILED with the counts,
    // production keeps serving, and the step warns (a run of one day's partition stays green).
    if (!(error instanceof TrainingDataError)) throw error;
    ctx.logger.warn(`${error.message} (ML run ${mlRunId} recorded as FAILED; production unchanged): ${error.hint ?? ''}`);
    return { rows: 0, metadata: { ml_run_id: mlRunId, skipped: error.message } };
  }
  const m = outcome.trained.metrics;
  return {
    rows: outcome.trained.split.trainRows + outcome.trained.split.validRows,
    metadata: {
      ml_run_id: outcome.run.runId,
      version: outcome.version.version,
      promoted: outcome.promoted,
      promotion: outcome.promotion,
      ...(definition.task === 'regression'
        ? { rmse: m.rmse, baseline_rmse: m.baseline_rmse, linear_rmse: m.linear_rmse }
        : { auc: m.auc, baseline_auc: m.baseline_auc, linear_auc: m.linear_auc }),
      holdout_rows: outcome.trained.split.holdoutRows,
      cutoff: outcome.trained.split.cutoff,
    },
  };
}

/** The production version of each model, loaded (models without one yet are left out). */
export async function loadProductionModels(ctx: AssetContext<PipelineResources>): Promise<{ definition: GameModelDefinition; version: number; model: LoadedModel }[]> {
  const production = productionVersions(await ctx.resources.state.listModelVersions());
  return Promise.all(
    production.map(async ({ definition, version }) => ({ definition, version: version.version, model: await loadSavedModel(ctx.resources.lake, version.runId, ctx.signal) })),
  );
}

async function score(ctx: AssetContext<PipelineResources>): Promise<MaterializeResult> {
  const models = await loadProductionModels(ctx);
  if (models.length === 0) {
    // A project that never trained: nothing to score yet, which is not a failure of the daily run.
    const note = `no model has a production version yet: nothing scored (train them: gmp materialize --select tag:training)`;
    ctx.logger.warn(note);
    return { rows: 0, metadata: { note } };
  }
  const rows = await featureRows(ctx);
  const dt = dateToKey(ctx.clock.now());
  const [{ source, entity }] = PREDICTION_ENTITIES as [RawEntity];
  const writer = await openPartitionWriter({ store: ctx.resources.lake, source, entity, dt, runId: ctx.runId, signal: ctx.signal, clock: ctx.clock });
  try {
    for (const row of rows) {
      const record: Record<string, unknown> = { game_id: Number(row.game_id), _dt: dt, _run_id: ctx.runId };
      for (const { definition, version, model } of models) {
        record[`${definition.target}_prediction`] = predictRow(model.trees, encodeRow(model.saved.spec, row));
        record[`${definition.target}_model`] = definition.model;
        record[`${definition.target}_model_version`] = version;
      }
      await writer.write(record);
    }
    await writer.commit({ pages: 0, requests: 0, metadata: { models: models.map((m) => `${m.definition.model}@v${m.version}`) } });
  } catch (error) {
    await writer.abort();
    throw error;
  }
  ctx.resources.rawViewCommitted(source, entity, ctx.signal);
  return { rows: rows.length, metadata: { dt, models: models.map((m) => `${m.definition.model} v${m.version}`).join(', ') } };
}
