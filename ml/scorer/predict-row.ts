import { ModelError } from '../../core/index.js';
import type { BoostedTrees } from './parse-boosted-trees.js';

/**
 * The margin (sum of the trees' leaves plus the base margin) for one row of `numFeatures` values,
 * NaN as missing. Computed as XGBoost does: float32 feature values against float32 thresholds,
 * accumulated in float32. Allocates nothing; throws ModelError when the row is too short.
 */
export function predictMargin(model: BoostedTrees, row: ArrayLike<number>): number {
  if (row.length < model.numFeatures) throw shortRow(model, row.length);
  return marginAt(model, row, 0);
}

/** predictMargin through the objective's transform: a probability for binary:logistic, the value for regression. */
export function predictRow(model: BoostedTrees, row: ArrayLike<number>): number {
  return transform(model, predictMargin(model, row));
}

/**
 * predictRow for `values.length / numFeatures` rows stored row-major (as BoostingDataset.values),
 * into `out` when given. Allocates nothing per row.
 */
export function predictBatch(model: BoostedTrees, values: ArrayLike<number>, out?: Float64Array): Float64Array {
  const cols = model.numFeatures;
  const rows = cols === 0 ? 0 : Math.floor(values.length / cols);
  if (rows * cols !== values.length) throw new ModelError(`a batch of ${values.length} values is not whole rows of ${cols} features`);
  const result = out ?? new Float64Array(rows);
  if (result.length < rows) throw new ModelError(`the output holds ${result.length} of ${rows} predictions`);
  for (let r = 0; r < rows; r++) result[r] = transform(model, marginAt(model, values, r * cols));
  return result;
}

/** The margin of the row starting at `offset` in `values`. */
export function marginAt(model: BoostedTrees, values: ArrayLike<number>, offset: number): number {
  const { roots, left, feature, threshold, defaultLeft } = model;
  let margin = model.baseMargin;
  for (let t = 0; t < roots.length; t++) {
    let n = roots[t]!;
    let child = left[n]!;
    while (child >= 0) {
      const x = values[offset + feature[n]!]!;
      // Branch-free (a tree walk mispredicts half its branches): the right child is left + 1; NaN is
      // missing and goes the node's default way, XGBoost's float32 comparison otherwise.
      const goesLeft = +(Math.fround(x) < threshold[n]!) | (+(x !== x) & defaultLeft[n]!);
      n = child + 1 - goesLeft;
      child = left[n]!;
    }
    margin = Math.fround(margin + threshold[n]!);
  }
  return margin;
}

function transform(model: BoostedTrees, margin: number): number {
  return model.objective === 'binary:logistic' ? 1 / (1 + Math.exp(-margin)) : margin;
}

function shortRow(model: BoostedTrees, length: number): ModelError {
  return new ModelError(`a row of ${length} values is shorter than the model's ${model.numFeatures} features`);
}
