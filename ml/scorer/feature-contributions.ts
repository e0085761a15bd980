import { ModelError } from '../../core/index.js';
import type { BoostedTrees } from './parse-boosted-trees.js';

/**
 * The path of TreeSHAP (Lundberg et al., "Consistent individualized feature attribution for tree
 * ensembles", algorithm 2): for each feature on the way to a leaf, the fraction of training weight
 * that flows where it would without the feature (zero) and with the row's value (one), and the
 * permutation weights. One flat scratch per model; each recursion level works on its own slice.
 */
interface Scratch {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  /** 1/k for k up to the longest path: the inner loops multiply instead of dividing. */
  inverse: Float64Array;
}

const scratches = new WeakMap<BoostedTrees, Scratch>();

/**
 * Exact TreeSHAP values in margin space, as XGBoost's pred_contribs: one per feature, then the
 * bias (base margin plus every tree's expected value) last; they sum to predictMargin. A missing
 * value (NaN) follows the node's default direction. Throws ModelError when the row is too short.
 */
export function featureContributions(model: BoostedTrees, row: ArrayLike<number>): Float64Array {
  if (row.length < model.numFeatures) throw new ModelError(`a row of ${row.length} values is shorter than the model's ${model.numFeatures} features`);
  let scratch = scratches.get(model);
  if (!scratch) {
    // A path holds at most depth + 2 elements, and level d's slice starts after levels 0..d-1.
    const size = ((model.maxDepth + 2) * (model.maxDepth + 3)) / 2;
    scratch = {
      feature: new Int32Array(size),
      zero: new Float64Array(size),
      one: new Float64Array(size),
      weight: new Float64Array(size),
      inverse: Float64Array.from({ length: model.maxDepth + 3 }, (_, k) => 1 / k),
    };
    scratches.set(model, scratch);
  }
  const phi = new Float64Array(model.numFeatures + 1);
  for (let t = 0; t < model.roots.length; t++) {
    const root = model.roots[t]!;
    phi[model.numFeatures]! += model.meanValue[root]!;
    recurse(model, scratch, row, phi, root, 0, 0, 0, 1, 1, -1);
  }
  phi[model.numFeatures]! += model.baseMargin;
  return phi;
}

/**
 * Walks node `n` with the parent's path at `from` (its `depth` elements), extended here by the
 * split that led to `n` (feature `splitFeature`, fractions `zeroFraction` / `oneFraction`).
 */
function recurse(
  m: BoostedTrees,
  s: Scratch,
  row: ArrayLike<number>,
  phi: Float64Array,
  n: number,
  from: number,
  at: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  splitFeature: number,
): void {
  for (let k = 0; k < depth; k++) {
    s.feature[at + k] = s.feature[from + k]!;
    s.zero[at + k] = s.zero[from + k]!;
    s.one[at + k] = s.one[from + k]!;
    s.weight[at + k] = s.weight[from + k]!;
  }
  extend(s, at, depth, zeroFraction, oneFraction, splitFeature);
  const left = m.left[n]!;
  if (left < 0) {
    const value = m.threshold[n]!;
    for (let i = 1; i <= depth; i++) {
      phi[s.feature[at + i]!]! += unwoundSum(s, at, depth, i) * (s.one[at + i]! - s.zero[at + i]!) * value;
    }
    return;
  }
  const right = m.right[n]!;
  const f = m.feature[n]!;
  const x = row[f]!;
  const goesLeft = x !== x ? m.defaultLeft[n] === 1 : Math.fround(x) < m.threshold[n]!;
  const hot = goesLeft ? left : right;
  const cold = goesLeft ? right : left;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature met again on the path is merged: take its fractions and drop its earlier element.
  for (let k = 1; k <= depth; k++) {
    if (s.feature[at + k] === f) {
      incomingZero = s.zero[at + k]!;
      incomingOne = s.one[at + k]!;
      unwind(s, at, depth, k);
      depth -= 1;
      break;
    }
  }
  const cover = m.cover[n]!;
  const next = at + depth + 1;
  recurse(m, s, row, phi, hot, at, next, depth + 1, (incomingZero * m.cover[hot]!) / cover, incomingOne, f);
  recurse(m, s, row, phi, cold, at, next, depth + 1, (incomingZero * m.cover[cold]!) / cover, 0, f);
}

/** Appends an element at index `depth` of the path at `at`, updating the permutation weights. */
function extend(s: Scratch, at: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const w = s.weight;
  s.feature[at + depth] = feature;
  s.zero[at + depth] = zeroFraction;
  s.one[at + depth] = oneFraction;
  w[at + depth] = depth === 0 ? 1 : 0;
  const one = oneFraction * s.inverse[depth + 1]!;
  const zero = zeroFraction * s.inverse[depth + 1]!;
  for (let i = depth - 1; i >= 0; i--) {
    w[at + i + 1]! += one * w[at + i]! * (i + 1);
    w[at + i] = zero * w[at + i]! * (depth - i);
  }
}

/** Removes element `i` from the path (last index `depth`), undoing its extend. */
function unwind(s: Scratch, at: number, depth: number, i: number): void {
  const w = s.weight;
  const one = s.one[at + i]!;
  const zero = s.zero[at + i]!;
  let next = w[at + depth]!;
  for (let j = depth - 1; j >= 0; j--) {
    if (one !== 0) {
      const kept = w[at + j]!;
      w[at + j] = (next * (depth + 1)) / ((j + 1) * one);
      next = kept - (w[at + j]! * zero * (depth - j)) / (depth + 1);
    } else {
      w[at + j] = (w[at + j]! * (depth + 1)) / (zero * (depth - j));
    }
  }
  for (let j = i; j < depth; j++) {
    s.feature[at + j] = s.feature[at + j + 1]!;
    s.zero[at + j] = s.zero[at + j + 1]!;
    s.one[at + j] = s.one[at + j + 1]!;
  }
}

/** The total permutation weight of the path without element `i`, without changing the path. */
function unwoundSum(s: Scratch, at: number, depth: number, i: number): number {
  const w = s.weight;
  const inverse = s.inverse;
  const one = s.one[at + i]!;
  const zero = s.zero[at + i]!;
  const outOf = inverse[depth + 1]!;
  let total = 0;
  if (one !== 0) {
    const scale = (depth + 1) / one;
    let next = w[at + depth]!;
    for (let j = depth - 1; j >= 0; j--) {
      const t = next * scale * inverse[j + 1]!;
      total += t;
      next = w[at + j]! - t * zero * (depth - j) * outOf;
    }
  } else {
    const scale = (depth + 1) / zero;
    for (let j = depth - 1; j >= 0; j--) total += w[at + j]! * scale * inverse[depth - j]!;
  }
  return total;
}
