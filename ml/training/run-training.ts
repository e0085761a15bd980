import type { Clock, Logger } from '../../core/index.js';
import { redactText } from '../../core/index.js';
import type { ObjectStore } from '../../lake/index.js';
import { ALIASES, productionVersion } from '../registry/aliases.js';
import { compareOnHoldout, describeComparison } from '../registry/promotion.js';
import { ARTIFACTS, loadSavedModel, type LoadedModel, type SavedFeatureSpec } from '../registry/saved-model.js';
import { putArtifact } from '../tracking/artifacts.js';
import type { ArtifactRef, MetricPoint, MlRun } from '../tracking/run-record.js';
import type { ModelVersion, TrackingStore } from '../tracking/tracking-store.js';
import { holdoutOf, type GameModelDefinition } from './game-models.js';
import { trainGameModel, type TrainGameModelInput, type TrainedGameModel } from './train-game-model.js';

export interface RunTrainingInput extends Omit<TrainGameModelInput, 'onRound'> {
  store: TrackingStore;
  lake: ObjectStore;
  clock: Clock;
  logger: Logger;
  /** The ML run's id (the pipeline run's id plus the model, so re-runs never collide). */
  runId: string;
  /** Tags recorded on the run: `gmp.run_id` (the pipeline run), `gmp.code_version`, … */
  tags?: Record<string, string>;
  /** Mirrors the finished (or failed) run elsewhere, e.g. to MLflow; its failure is logged and tagged, never fatal. */
  mirror?: (run: MlRun) => Promise<string>;
}

export interface TrainingOutcome {
  run: MlRun;
  trained: TrainedGameModel;
  version: ModelVersion;
  /** Whether `production` now points at this version, and why (or why not). */
  promoted: boolean;
  promotion: string;
}


/**
 * One tracked training run: the run is recorded RUNNING, trained, its artifacts written to the lake
 * and its metrics (with every boosting round) to the store; the model is registered as a new
 * version with the `candidate` alias, and becomes `production` only when there is none yet or it is
 * strictly better on its own holdout than production is on the same games. A failure is recorded on
 * the run (FAILED, with the reason) and leaves the registry as it was.
 */
export async function runTraining(input: RunTrainingInput): Promise<TrainingOutcome> {
  const { store, clock, definition } = input;
  const started = clock.now().getTime();
  const run: MlRun = {
    runId: input.runId,
    experiment: definition.model,
    name: `${definition.model} ${new Date(started).toISOString().slice(0, 16)}Z`,
    status: 'RUNNING',
    startTime: started,
    endTime: null,
    params: { target: definition.target, as_of: input.asOf },
    metrics: [],
    tags: { 'gmp.model': definition.model, 'gmp.task': definition.task, ...input.tags },
    artifacts: [],
    error: null,
  };
  await store.createMlRun(run);
  try {
    return await trainTrackAndRegister(input, run);
  } catch (error) {
    // Whatever failed (the data, the engine, the lake), the run says so; the registry is unchanged
    // unless the version was already registered (it then stays a candidate).
    const message = redactText(error instanceof Error ? error.message : String(error));
    const status = input.signal?.aborted === true ? 'KILLED' : 'FAILED';
    await store.updateMlRun(run.runId, { status, endTime: clock.now().getTime(), error: message });
    await mirrorQuietly(input, { ...run, status, error: message });
    throw error;
  }
}

async function trainTrackAndRegister(input: RunTrainingInput, run: MlRun): Promise<TrainingOutcome> {
  const { store, lake, clock, definition } = input;
  const trained = await trainGameModel(input);
  const at = clock.now().getTime();
  const metric = trained.evalMetric;
  const series: MetricPoint[] = trained.history.flatMap((r) => [
    { key: `train_${metric}`, value: r.train, step: r.round, timestamp: at },
    { key: `valid_${metric}`, value: r.valid, step: r.round, timestamp: at },
  ]);
  const finals: MetricPoint[] = Object.entries(trained.metrics)
    .filter(([, v]) => Number.isFinite(v))
    .map(([key, value]) => ({ key, value, step: 0, timestamp: at }));
  const saved: SavedFeatureSpec = {
    model: definition.model,
    target: definition.target,
    task: definition.task,
    spec: trained.spec,
    reference: trained.reference,
    cutoff: trained.split.cutoff,
    asOf: trained.split.asOf,
  };
  const evaluation = {
    model: definition.model,
    run_id: run.runId,
    split: trained.split,
    metrics: trained.metrics,
    best_iteration: trained.bestIteration,
    importance: trained.importance,
    holdout: trained.holdout,
  };
  const signal = input.signal;
  const artifacts: ArtifactRef[] = [
    await putArtifact(lake, run.runId, ARTIFACTS.model, trained.modelJson, signal),
    await putArtifact(lake, run.runId, ARTIFACTS.spec, `${JSON.stringify(saved, null, 1)}\n`, signal),
    await putArtifact(lake, run.runId, ARTIFACTS.evaluation, `${JSON.stringify(evaluation, null, 1)}\n`, signal),
  ];
  await store.logMlMetrics(run.runId, [...series, ...finals]);
  const tags = { 'gmp.dataset_fingerprint': trained.fingerprint };
  await store.updateMlRun(run.runId, { params: trained.params, tags, artifacts });

  const version = await store.createModelVersion(definition.model, run.runId, new Date(at).toISOString());
  const when = () => clock.now().toISOString();
  await store.setModelAlias({ model: definition.model, alias: ALIASES.candidate, version: version.version, at: when(), by: 'gmp', reason: `trained in run ${run.runId}` });
  const decision = await decidePromotion(input, definition, version, { runId: run.runId, saved, trees: trained.trees });
  if (decision.promote) {
    await store.setModelAlias({ model: definition.model, alias: ALIASES.production, version: version.version, at: when(), by: 'gmp', reason: decision.reason });
  }
  await store.updateMlRun(run.runId, { status: 'FINISHED', endTime: clock.now().getTime(), tags: { 'gmp.model_version': String(version.version), 'gmp.promotion': decision.reason } });
  const finished = (await store.getMlRun(run.runId))!;
  const mirrored = await mirrorQuietly(input, finished);
  return {
    run: mirrored ?? finished,
    trained,
    version: { ...version, aliases: decision.promote ? [ALIASES.candidate, ALIASES.production] : [ALIASES.candidate] },
    promoted: decision.promote,
    promotion: decision.reason,
  };
}

async function decidePromotion(
  input: RunTrainingInput,
  definition: GameModelDefinition,
  version: ModelVersion,
  candidate: LoadedModel,
): Promise<{ promote: boolean; reason: string }> {
  const production = productionVersion(await input.store.listModelVersions(definition.model), definition.model);
  if (production === undefined) return { promote: true, reason: `v${version.version} is the first ${definition.model}: promoted to production` };
  let current: LoadedModel;
  try {
    current = await loadSavedModel(input.lake, production.runId, input.signal);
  } catch (error) {
    input.logger.warn({ err: error }, `production v${production.version} of ${definition.model} could not be loaded: keeping it`);
    return { promote: false, reason: `production v${production.version} could not be loaded to compare with: kept (promote by hand with gmp ml promote)` };
  }
  const rows = holdoutOf(input.rows, definition.target, candidate.saved.cutoff, candidate.saved.asOf);
  const cmp = compareOnHoldout(candidate, current, rows);
  const text = describeComparison(cmp, version.version, production.version);
  return cmp.better ? { promote: true, reason: `promoted: ${text}` } : { promote: false, reason: `production kept: ${text}` };
}

async function mirrorQuietly(input: RunTrainingInput, run: MlRun): Promise<MlRun | undefined> {
  if (input.mirror === undefined) return undefined;
  try {
    const url = await input.mirror(run);
    await input.store.updateMlRun(run.runId, { tags: { 'gmp.mlflow_run': url } });
  } catch (error) {
    const message = redactText(error instanceof Error ? error.message : String(error));
    input.logger.warn(`MLflow: run ${run.runId} was not mirrored: ${message}`);
    await input.store.updateMlRun(run.runId, { tags: { 'gmp.mlflow_error': message } });
  }
  return input.store.getMlRun(run.runId);
}
