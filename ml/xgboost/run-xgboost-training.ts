import type { BoostingObjective, BoostingParams, RoundEval } from './boosting-types.js';
import { MlEngineError } from './ml-engine-errors.js';
import type { XgbHandle, XgboostLibrary } from './xgboost-library.js';

/** What the training process is asked, as sent over its stdin (matrices travel beside it). */
export interface TrainingRequest {
  objective: BoostingObjective;
  featureNames: string[];
  params: BoostingParams;
  numRounds: number;
  earlyStoppingRounds: number;
  contributions: boolean;
  libraryPath: string;
}

export interface TrainingMatrices {
  train: { values: Float32Array; labels: Float32Array; rows: number };
  valid: { values: Float32Array; labels: Float32Array; rows: number };
  predict: { values: Float32Array; rows: number }[];
}

export interface TrainingOutcome {
  modelJson: string;
  bestIteration: number;
  evalMetric: 'rmse' | 'logloss';
  predictions: Float32Array[];
  contributions: Float32Array[];
}

/** Threads XGBoost uses when the caller does not say: one, so a run is reproducible and leaves a core free. */
export const DEFAULT_NTHREAD = 1;

/**
 * Trains with early stopping on `valid` (the lowest metric wins; ties keep the earlier round), keeps
 * rounds [0, best] with XGBoosterSlice, saves the model as JSON and scores the `predict` matrices
 * with it. Runs in the training process only; throws MlEngineError when XGBoost refuses a call.
 */
export function runXgboostTraining(
  lib: XgboostLibrary,
  request: TrainingRequest,
  matrices: TrainingMatrices,
  onRound: (round: RoundEval) => void,
): TrainingOutcome {
  const cols = request.featureNames.length;
  const evalMetric = request.objective === 'binary:logistic' ? 'logloss' : 'rmse';
  const owned: { matrices: XgbHandle[]; boosters: XgbHandle[] } = { matrices: [], boosters: [] };
  const matrix = (values: Float32Array, rows: number, labels?: Float32Array) => {
    const handle = lib.createMatrix(values, rows, cols);
    owned.matrices.push(handle);
    lib.setFeatureNames(handle, request.featureNames);
    if (labels) lib.setLabels(handle, labels);
    return handle;
  };
  try {
    const train = matrix(matrices.train.values, matrices.train.rows, matrices.train.labels);
    const valid = matrix(matrices.valid.values, matrices.valid.rows, matrices.valid.labels);
    const booster = lib.createBooster([train, valid]);
    owned.boosters.push(booster);
    lib.setBoosterFeatureNames(booster, request.featureNames);
    for (const [name, value] of xgboostParams(request, matrices.train.labels)) lib.setParam(booster, name, value);

    let best = { round: -1, valid: Infinity };
    let rounds = 0;
    for (let round = 0; round < request.numRounds; round++) {
      lib.updateOneIter(booster, round, train);
      rounds = round + 1;
      const line = lib.evalOneIter(booster, round, [train, valid], ['train', 'valid']);
      const evaluation = { round, train: metricOf(line, 'train', evalMetric), valid: metricOf(line, 'valid', evalMetric) };
      onRound(evaluation);
      if (evaluation.valid < best.valid || best.round < 0) best = { round, valid: evaluation.valid };
      if (round - best.round >= request.earlyStoppingRounds) break;
    }

    let final = booster;
    if (best.round + 1 < rounds) {
      final = lib.slice(booster, 0, best.round + 1);
      owned.boosters.push(final);
    }
    lib.setAttr(final, 'best_iteration', String(best.round));
    lib.setAttr(final, 'best_score', String(best.valid));
    const modelJson = lib.saveModelJson(final);

    const predictions: Float32Array[] = [];
    const contributions: Float32Array[] = [];
    for (const set of matrices.predict) {
      const handle = matrix(set.values, set.rows);
      predictions.push(lib.predict(final, handle, false));
      if (request.contributions) contributions.push(lib.predict(final, handle, true));
    }
    return { modelJson, bestIteration: best.round, evalMetric, predictions, contributions };
  } finally {
    for (const b of owned.boosters) lib.freeBooster(b);
    for (const m of owned.matrices) lib.freeMatrix(m);
  }
}

/** XGBoost's parameter names and values; base_score starts from the training labels' mean. */
export function xgboostParams(request: TrainingRequest, labels: Float32Array): [string, string][] {
  const p = request.params;
  let mean = 0;
  for (const label of labels) mean += label;
  mean /= labels.length;
  // base_score is a probability for binary:logistic: keep it strictly inside (0, 1).
  const baseScore = request.objective === 'binary:logistic' ? Math.min(1 - 1e-6, Math.max(1e-6, mean)) : mean;
  const params: [string, string][] = [
    ['objective', request.objective],
    ['eval_metric', request.objective === 'binary:logistic' ? 'logloss' : 'rmse'],
    ['tree_method', 'hist'],
    ['verbosity', '0'],
    ['base_score', String(baseScore)],
    ['nthread', String(p.nthread ?? DEFAULT_NTHREAD)],
    ['seed', String(p.seed ?? 0)],
  ];
  const optional: [string, number | undefined][] = [
    ['max_depth', p.maxDepth],
    ['eta', p.eta],
    ['subsample', p.subsample],
    ['colsample_bytree', p.colsampleByTree],
    ['min_child_weight', p.minChildWeight],
    ['lambda', p.lambda],
  ];
  for (const [name, value] of optional) if (value !== undefined) params.push([name, String(value)]);
  return params;
}

/** Reads `valid-rmse:0.47` out of XGBoost's evaluation line. */
export function metricOf(line: string, set: string, metric: string): number {
  const match = new RegExp(`\\t${set}-${metric}:(\\S+)`).exec(line);
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(value)) throw new MlEngineError(`XGBoost's evaluation has no finite ${set}-${metric}: ${line.trim()}`);
  return value;
}
