import { describe, expect, it } from 'vitest';
import type { BoostingObjective, TrainBoostedTreesResult } from '../xgboost/boosting-types.js';
import { syntheticBoostingData } from '../xgboost/synthetic-boosting-data.js';
import { trainBoostedTrees } from '../xgboost/train-boosted-trees.js';
import { featureContributions, featureImportance, parseBoostedTrees, predictBatch, predictMargin, predictRow, type BoostedTrees } from './index.js';

// The real libxgboost trains; the TypeScript scorer must give XGBoost's own numbers on a holdout.
async function trained(objective: BoostingObjective) {
  const make = (rows: number, seed: number) => syntheticBoostingData({ objective, rows, seed, numeric: 7, categories: [4], missingRate: 0.2 });
  const train = make(3000, 1);
  const holdout = make(600, 3).data;
  const result = await trainBoostedTrees({
    objective,
    featureNames: train.featureNames,
    train: train.data,
    valid: make(1000, 2).data,
    params: { maxDepth: 5, eta: 0.15, seed: 7 },
    numRounds: 120,
    earlyStoppingRounds: 10,
    predict: [holdout],
    contributions: true,
  });
  return { result, holdout, model: parseBoostedTrees(result.modelJson), cols: train.featureNames.length };
}

function rowOf(values: Float32Array, cols: number, r: number): Float32Array {
  return values.subarray(r * cols, (r + 1) * cols);
}

function expectScorerMatches(model: BoostedTrees, result: TrainBoostedTreesResult, holdout: { rows: number; values: Float32Array }, cols: number): void {
  const native = result.predictions[0]!;
  const contribs = result.contributions[0]!;
  expect(native).toHaveLength(holdout.rows);
  expect(contribs).toHaveLength(holdout.rows * (cols + 1));
  let worstPrediction = 0;
  let worstContribution = 0;
  let worstSum = 0;
  for (let r = 0; r < holdout.rows; r++) {
    const row = rowOf(holdout.values, cols, r);
    worstPrediction = Math.max(worstPrediction, Math.abs(predictRow(model, row) - native[r]!));
    const phi = featureContributions(model, row);
    expect(phi).toHaveLength(cols + 1);
    for (let j = 0; j <= cols; j++) worstContribution = Math.max(worstContribution, Math.abs(phi[j]! - contribs[r * (cols + 1) + j]!));
    // The margin is a float32 sum (as XGBoost's): compare at float32's relative precision.
    const margin = predictMargin(model, row);
    worstSum = Math.max(worstSum, Math.abs(phi.reduce((a, b) => a + b, 0) - margin) / Math.max(1, Math.abs(margin)));
  }
  expect(worstPrediction).toBeLessThanOrEqual(1e-5);
  expect(worstContribution).toBeLessThanOrEqual(1e-5);
  expect(worstSum).toBeLessThanOrEqual(1e-5);
  expect(predictBatch(model, holdout.values)).toEqual(Float64Array.from({ length: holdout.rows }, (_, r) => predictRow(model, rowOf(holdout.values, cols, r))));
}

/** Both default directions are used by splits on the columns that have missing values. */
function defaultDirections(model: BoostedTrees, features: number[]): Set<number> {
  const seen = new Set<number>();
  for (let n = 0; n < model.left.length; n++) if (model.left[n]! >= 0 && features.includes(model.feature[n]!)) seen.add(model.defaultLeft[n]!);
  return seen;
}

describe('the TypeScript scorer against XGBoost', () => {
  it('regression: equal predictions and contributions on a holdout with missing values', async () => {
    const { result, holdout, model, cols } = await trained('reg:squarederror');
    expect(model.objective).toBe('reg:squarederror');
    expect(model.numTrees).toBe(result.bestIteration + 1);
    // Rows with a missing x1 and a missing x3 are scored, and splits send missing values both ways.
    const missing = (j: number) => Array.from({ length: holdout.rows }, (_, r) => holdout.values[r * cols + j]).filter((v) => Number.isNaN(v)).length;
    expect(missing(1)).toBeGreaterThan(50);
    expect(missing(3)).toBeGreaterThan(50);
    expect(defaultDirections(model, [1, 3])).toEqual(new Set([0, 1]));
    expectScorerMatches(model, result, holdout, cols);
    // The model learned the structure: its holdout error is well below the labels' spread.
    const labels = holdout.labels;
    const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
    const spread = Math.sqrt(labels.reduce((a, b) => a + (b - mean) ** 2, 0) / labels.length);
    const rmse = Math.sqrt(result.predictions[0]!.reduce((a, p, r) => a + (p - labels[r]!) ** 2, 0) / labels.length);
    expect(rmse).toBeLessThan(spread / 3);
  });

  it('binary:logistic: equal probabilities, and contributions in margin space', async () => {
    const { result, holdout, model, cols } = await trained('binary:logistic');
    expect(model.objective).toBe('binary:logistic');
    expect(result.evalMetric).toBe('logloss');
    expectScorerMatches(model, result, holdout, cols);
    for (let r = 0; r < 20; r++) {
      const row = rowOf(holdout.values, cols, r);
      const p = predictRow(model, row);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      expect(p).toBeCloseTo(1 / (1 + Math.exp(-predictMargin(model, row))), 12);
    }
  });

  it('ranks features by total gain, with XGBoost names, informative ones above noise', async () => {
    const { model, result } = await trained('reg:squarederror');
    const importance = featureImportance(model);
    const doc = JSON.parse(result.modelJson) as { learner: { gradient_booster: { model: { trees: { left_children: number[]; loss_changes: number[] }[] } } } };
    const splits = doc.learner.gradient_booster.model.trees.flatMap((t) => t.left_children.flatMap((l, n) => (l >= 0 ? [t.loss_changes[n]!] : [])));
    expect(importance.reduce((a, f) => a + f.weight, 0)).toBe(splits.length);
    expect(importance.reduce((a, f) => a + f.gain, 0)).toBeCloseTo(splits.reduce((a, b) => a + b, 0), 3);
    expect(importance.map((f) => f.gain)).toEqual([...importance.map((f) => f.gain)].sort((a, b) => b - a));
    const rank = (name: string) => importance.findIndex((f) => f.feature === name);
    expect(rank('x0')).toBeGreaterThanOrEqual(0);
    // x5 and x6 are pure noise: every signal column outranks them.
    for (const signal of ['x0', 'x2']) {
      const noise = Math.min(...['x5', 'x6'].map(rank).map((r) => (r < 0 ? Infinity : r)));
      expect(rank(signal)).toBeLessThan(noise);
    }
  });
});
