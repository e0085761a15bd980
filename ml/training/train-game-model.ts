import { GmpError } from '../../core/index.js';
import { buildFeatureSpec, datasetFingerprint, encodeRows, type FeatureRow, type FeatureSpec } from '../features/feature-spec.js';
import { fitLinearBaseline } from '../evaluation/linear-baseline.js';
import { accuracy, auc, logloss, mae, r2, rmse } from '../evaluation/metrics.js';
import { featureImportance, parseBoostedTrees, predictBatch, type BoostedTrees } from '../scorer/index.js';
import { trainBoostedTrees, type BoostingParams, type RoundEval } from '../xgboost/index.js';
import { featureReference, type FeatureReference } from './drift.js';
import { labelOf, splitByRelease, type GameModelDefinition, type SplitOptions, type TimeSplit } from './game-models.js';

export interface TrainGameModelInput extends SplitOptions {
  definition: GameModelDefinition;
  /** Rows of `marts.ml_game_features`. */
  rows: readonly FeatureRow[];
  /** The day training happens: games released after it are not learnt from nor evaluated on. */
  asOf: string;
  params?: BoostingParams;
  numRounds?: number;
  earlyStoppingRounds?: number;
  /** Fewer labelled games than this (train + validation + holdout) and training refuses to start. */
  minRows?: number;
  signal?: AbortSignal;
  onRound?: (round: RoundEval) => void;
  libraryPath?: string;
}

export interface TrainedGameModel {
  spec: FeatureSpec;
  modelJson: string;
  trees: BoostedTrees;
  split: Omit<TimeSplit, 'train' | 'valid' | 'holdout'> & { trainRows: number; validRows: number; holdoutRows: number };
  params: Record<string, string>;
  /** Final holdout metrics, baselines' included (`rmse`, `baseline_rmse`, `linear_rmse`, … or `auc`, …). */
  metrics: Record<string, number>;
  /** The boosting rounds' evaluation: `train_<metric>` and `valid_<metric>` per round. */
  history: RoundEval[];
  evalMetric: string;
  bestIteration: number;
  fingerprint: string;
  importance: { feature: string; gain: number; cover: number; weight: number }[];
  reference: FeatureReference[];
  /** Per holdout game: actual, predicted (TypeScript scorer), and the baselines' predictions. */
  holdout: { gameId: number; actual: number; predicted: number; native: number; baseline: number; linear: number }[];
}

export const DEFAULT_BOOSTING: Required<Pick<BoostingParams, 'maxDepth' | 'eta' | 'subsample' | 'colsampleByTree' | 'minChildWeight' | 'lambda' | 'seed'>> = {
  maxDepth: 5,
  eta: 0.05,
  subsample: 0.8,
  colsampleByTree: 0.8,
  minChildWeight: 3,
  lambda: 1,
  seed: 42,
};
const DEFAULT_ROUNDS = 600;
const DEFAULT_EARLY_STOPPING = 40;
export const DEFAULT_MIN_ROWS = 200;

/** Training refused or failed for a reason about the data (too few rows, one class only). */
export class TrainingDataError extends GmpError {
  constructor(message: string, hint: string) {
    super('MODEL', message, { hint });
  }
}

/**
 * Trains one model on a time split of the features: boosted trees (XGBoost, in a child process)
 * with early stopping on the validation part, then evaluates it on the holdout with the TypeScript
 * scorer that serves it, beside a mean baseline and a linear baseline trained on the same rows.
 */
export async function trainGameModel(input: TrainGameModelInput): Promise<TrainedGameModel> {
  const { definition, asOf } = input;
  const split = splitByRelease(input.rows, definition.target, asOf, input);
  const labelled = split.train.length + split.valid.length + split.holdout.length;
  const minRows = input.minRows ?? DEFAULT_MIN_ROWS;
  if (labelled < minRows || split.train.length < 2 || split.valid.length === 0 || split.holdout.length === 0) {
    throw new TrainingDataError(
      `${definition.model}: too few rows to train: ${labelled} released games with a ${definition.target} up to ${asOf} (${split.train.length} to train, ${split.valid.length} to validate, ${split.holdout.length} to evaluate); at least ${minRows} are needed`,
      'ingest more days (gmp backfill --from … --to …), or lower the minimum with GMP_ML_MIN_ROWS',
    );
  }
  const learnt = [...split.train, ...split.valid];
  const spec = buildFeatureSpec(learnt);
  const data = (rows: readonly FeatureRow[]) => {
    const labels = Float32Array.from(rows, (r) => labelOf(r, definition.target) ?? Number.NaN);
    return { rows: rows.length, cols: spec.names.length, values: encodeRows(spec, rows), labels };
  };
  // What the model learns from is encoded once: training and validation are views of it.
  const learntData = data(learnt);
  const cols = learntData.cols;
  const part = (from: number, to: number) => ({ rows: to - from, cols, values: learntData.values.subarray(from * cols, to * cols), labels: learntData.labels.subarray(from, to) });
  const train = part(0, split.train.length);
  const valid = part(split.train.length, learnt.length);
  const holdout = data(split.holdout);
  if (definition.task === 'classification') {
    for (const [part, d] of [['training', train], ['holdout', holdout]] as const) {
      const positives = d.labels.reduce((n, y) => n + (y > 0.5 ? 1 : 0), 0);
      if (positives === 0 || positives === d.rows) {
        throw new TrainingDataError(
          `${definition.model}: the ${part} games are all ${positives === 0 ? 'not ' : ''}${definition.target}: a classifier needs both classes`,
          "change the threshold (--vars '{\"ml_popular_ratings_count\": N}') or ingest more days",
        );
      }
    }
  }
  const boosting = { ...DEFAULT_BOOSTING, ...input.params };
  const result = await trainBoostedTrees(
    {
      objective: definition.task === 'regression' ? 'reg:squarederror' : 'binary:logistic',
      featureNames: spec.names,
      train,
      valid,
      params: boosting,
      numRounds: input.numRounds ?? DEFAULT_ROUNDS,
      earlyStoppingRounds: input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING,
      predict: [holdout],
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onRound ? { onRound: input.onRound } : {}),
    },
    input.libraryPath === undefined ? {} : { libraryPath: input.libraryPath },
  );
  const trees = parseBoostedTrees(result.modelJson);
  const native = result.predictions[0]!;
  const predicted = predictBatch(trees, holdout.values);
  let scorerDiff = 0;
  for (let r = 0; r < holdout.rows; r++) scorerDiff = Math.max(scorerDiff, Math.abs(predicted[r]! - native[r]!));

  const { values: learntValues, labels: learntLabels } = learntData;
  const mean = learntLabels.reduce((s, y) => s + y, 0) / learntLabels.length;
  const linear = fitLinearBaseline(definition.task, learntValues, learntLabels, cols);
  const linearPred = Float64Array.from({ length: holdout.rows }, (_, r) => linear.predict(holdout.values, r));
  const baselinePred = new Float64Array(holdout.rows).fill(mean);
  const y = holdout.labels;
  const metrics: Record<string, number> =
    definition.task === 'regression'
      ? {
          rmse: rmse(predicted, y),
          mae: mae(predicted, y),
          r2: r2(predicted, y),
          baseline_rmse: rmse(baselinePred, y),
          baseline_mae: mae(baselinePred, y),
          linear_rmse: rmse(linearPred, y),
          linear_mae: mae(linearPred, y),
        }
      : {
          auc: auc(predicted, y),
          logloss: logloss(predicted, y),
          accuracy: accuracy(predicted, y),
          baseline_auc: 0.5,
          baseline_logloss: logloss(baselinePred, y),
          linear_auc: auc(linearPred, y),
          linear_logloss: logloss(linearPred, y),
          positive_rate: mean,
        };
  metrics.scorer_max_abs_diff = scorerDiff;
  metrics.best_iteration = result.bestIteration;
  // Not `train_…`/`valid_…`: those prefixes name the per-round series.
  metrics.rows_train = train.rows;
  metrics.rows_valid = valid.rows;
  metrics.rows_holdout = holdout.rows;

  return {
    spec,
    modelJson: result.modelJson,
    trees,
    split: { cutoff: split.cutoff, validFrom: split.validFrom, asOf, trainRows: train.rows, validRows: valid.rows, holdoutRows: holdout.rows },
    params: {
      objective: definition.task === 'regression' ? 'reg:squarederror' : 'binary:logistic',
      target: definition.target,
      max_depth: String(boosting.maxDepth),
      eta: String(boosting.eta),
      subsample: String(boosting.subsample),
      colsample_bytree: String(boosting.colsampleByTree),
      min_child_weight: String(boosting.minChildWeight),
      lambda: String(boosting.lambda),
      seed: String(boosting.seed),
      num_rounds: String(input.numRounds ?? DEFAULT_ROUNDS),
      early_stopping_rounds: String(input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING),
      features: String(cols),
      cutoff: split.cutoff,
      valid_from: split.validFrom,
      as_of: asOf,
    },
    metrics,
    history: result.history,
    evalMetric: result.evalMetric,
    bestIteration: result.bestIteration,
    fingerprint: datasetFingerprint(spec.names, learntValues, learntLabels),
    importance: featureImportance(trees),
    // Drift is judged against the population the model was trained to score: every row of the
    // features mart at training time (the labelled ones are a subset skewed to older releases).
    reference: featureReference(spec, input.rows),
    holdout: split.holdout.map((row, r) => ({
      gameId: Number(row.game_id),
      actual: y[r]!,
      predicted: predicted[r]!,
      native: native[r]!,
      baseline: mean,
      linear: linearPred[r]!,
    })),
  };
}
