import { describe, expect, it } from 'vitest';
import { ModelError } from '../../core/index.js';
import { featureContributions, featureImportance, parseBoostedTrees, predictBatch, predictMargin, predictRow, type BoostedTrees } from './index.js';

interface TreeSpec {
  left: number[];
  right: number[];
  feature: number[];
  threshold: number[];
  defaultLeft: number[];
  cover: number[];
  gain?: number[];
}

/** A model document in XGBoost 1.7's JSON layout, from node lists. */
function modelJson(trees: TreeSpec[], options: { objective?: string; baseScore?: string; numFeature?: number; featureNames?: string[] } = {}): string {
  return JSON.stringify({
    learner: {
      attributes: {},
      feature_names: options.featureNames ?? [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees.length), size_leaf_vector: '0' },
          tree_info: trees.map(() => 0),
          trees: trees.map((t, id) => ({
            base_weights: t.threshold,
            categories: [],
            categories_nodes: [],
            categories_segments: [],
            categories_sizes: [],
            default_left: t.defaultLeft,
            id,
            left_children: t.left,
            loss_changes: t.gain ?? t.left.map((l) => (l < 0 ? 0 : 1)),
            parents: t.left.map(() => 2147483647),
            right_children: t.right,
            split_conditions: t.threshold,
            split_indices: t.feature,
            split_type: t.left.map(() => 0),
            sum_hessian: t.cover,
            tree_param: { num_deleted: '0', num_feature: String(options.numFeature ?? 2), num_nodes: String(t.left.length), size_leaf_vector: '0' },
          })),
        },
        name: 'gbtree',
      },
      learner_model_param: { base_score: options.baseScore ?? '5E-1', boost_from_average: '1', num_class: '0', num_feature: String(options.numFeature ?? 2), num_target: '1' },
      objective: { name: options.objective ?? 'reg:squarederror', reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  });
}

// f0 < 0.5 (missing: left) → 1 | f1 < 2 (missing: right) → -1 | 3; then a tree that is one leaf, 0.25.
const SPLIT: TreeSpec = { left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], feature: [0, 0, 1, 0, 0], threshold: [0.5, 1, 2, -1, 3], defaultLeft: [1, 0, 0, 0, 0], cover: [10, 4, 6, 3, 3], gain: [5, 0, 2, 0, 0] };
const LEAF: TreeSpec = { left: [-1], right: [-1], feature: [0], threshold: [0.25], defaultLeft: [0], cover: [10] };

describe('parseBoostedTrees and the scorer on a hand-made model', () => {
  const model = parseBoostedTrees(modelJson([SPLIT, LEAF], { featureNames: ['price', 'rating'] }));

  it('walks splits with x < threshold going left and NaN going the default way', () => {
    expect(model.numTrees).toBe(2);
    expect(model.featureNames).toEqual(['price', 'rating']);
    expect(predictMargin(model, [0.2, 5])).toBe(1.75);
    expect(predictMargin(model, [0.5, 5])).toBe(-0.25 + 4);
    expect(predictMargin(model, [NaN, 1])).toBe(1.75);
    expect(predictMargin(model, [0.7, NaN])).toBe(3.75);
    expect(predictMargin(model, [0.7, 1])).toBe(-0.25);
    expect(predictRow(model, new Float32Array([0.7, 1]))).toBe(-0.25);
    expect(predictBatch(model, new Float32Array([0.2, 5, 0.7, 1]))).toEqual(new Float64Array([1.75, -0.25]));
    expect(() => predictRow(model, [0.1])).toThrow(ModelError);
  });

  it('compares in float32, as XGBoost does', () => {
    // 0.1 as a float32 threshold is slightly above 0.1; the double 0.1000000001 rounds to the same float32.
    const m = parseBoostedTrees(modelJson([{ left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [Math.fround(0.1), -1, 1], defaultLeft: [0, 0, 0], cover: [2, 1, 1] }], { numFeature: 1 }));
    expect(predictMargin(m, [0.1000000001])).toBe(1.5);
    expect(predictMargin(m, [0.0999999])).toBe(-0.5);
  });

  it('gives the exact Shapley values by hand: features, then the bias', () => {
    // Tree 1's expected value is (4·1 + 3·(−1) + 3·3)/10 = 1; with x = (0.7, 1) Shapley's formula gives −0.4 and −1.6.
    const phi = featureContributions(model, [0.7, 1]);
    expect(phi).toHaveLength(3);
    expect(phi[0]).toBeCloseTo(-0.4, 12);
    expect(phi[1]).toBeCloseTo(-1.6, 12);
    expect(phi[2]).toBeCloseTo(0.5 + 1 + 0.25, 12);
    expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(predictMargin(model, [0.7, 1]), 12);
  });

  it('equals brute-force Shapley values on random trees that split on a feature more than once', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 30; trial++) {
      const numFeature = 3;
      const trees = [randomTree(random, 4, numFeature), randomTree(random, 3, numFeature)];
      const m = parseBoostedTrees(modelJson(trees, { numFeature }));
      const row = Array.from({ length: numFeature }, () => (random() < 0.2 ? NaN : random()));
      const phi = featureContributions(m, row);
      const exact = bruteForceShapley(m, row);
      for (let j = 0; j < numFeature; j++) expect(phi[j]).toBeCloseTo(exact[j]!, 10);
      expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(predictMargin(m, row), 5);
    }
  });

  it('sums gain, cover and splits per feature, largest gain first, leaving out unused features', () => {
    expect(featureImportance(model)).toEqual([
      { feature: 'price', gain: 5, cover: 10, weight: 1 },
      { feature: 'rating', gain: 2, cover: 6, weight: 1 },
    ]);
    const three = parseBoostedTrees(modelJson([LEAF, SPLIT], { numFeature: 3 }));
    expect(three.featureNames).toEqual(['f0', 'f1', 'f2']);
    expect(featureImportance(three).map((f) => f.feature)).toEqual(['f0', 'f1']);
  });

  it('uses the logit of base_score as the margin for binary:logistic', () => {
    const m = parseBoostedTrees(modelJson([LEAF], { objective: 'binary:logistic', baseScore: '2.5E-1' }));
    expect(m.baseMargin).toBeCloseTo(Math.log(0.25 / 0.75), 6);
    const p = predictRow(m, [0, 0]);
    expect(p).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(1 / 3) + 0.25))), 6);
    expect(featureContributions(m, [0, 0])[2]).toBeCloseTo(predictMargin(m, [0, 0]), 12);
  });
});

describe('parseBoostedTrees refuses', () => {
  const cases: [string, () => string, RegExp][] = [
    ['text that is not JSON', () => '{"learner":', /not JSON/],
    ['an unsupported objective', () => modelJson([LEAF], { objective: 'multi:softprob' }), /objective multi:softprob is not supported/],
    ['arrays of the wrong length', () => modelJson([{ ...SPLIT, cover: [10, 4, 6] }]), /trees\[0\]\.sum_hessian must be 5 finite numbers/],
    ['a child outside the tree', () => modelJson([{ ...SPLIT, left: [1, -1, 9, -1, -1] }]), /trees\[0\] links to node 9, outside 0\.\.4/],
    ['a cycle', () => modelJson([{ ...SPLIT, left: [1, -1, 0, -1, -1] }]), /trees\[0\] reaches node 0 twice/],
    ['a node with one child', () => modelJson([{ ...SPLIT, right: [2, -1, -1, -1, -1] }]), /node 2 has one child/],
    ['a split on a feature the model does not have', () => modelJson([{ ...SPLIT, feature: [0, 0, 5, 0, 0] }]), /splits on feature 5, outside 0\.\.1/],
    ['a num_trees that disagrees', () => modelJson([SPLIT]).replace('"num_trees":"1"', '"num_trees":"2"'), /num_trees is 2 but there are 1 trees/],
    ['categorical splits', () => modelJson([SPLIT]).replace('"split_type":[0,0,0,0,0]', '"split_type":[0,0,1,0,0]'), /categorical splits/],
    ['a dart booster', () => modelJson([SPLIT]).replace('"name":"gbtree"', '"name":"dart"'), /booster dart is not supported/],
    ['a multi-class model', () => modelJson([SPLIT]).replace('"num_class":"0"', '"num_class":"3"'), /multi-class/],
  ];
  it.each(cases)('%s', (_, json, message) => {
    expect(() => parseBoostedTrees(json())).toThrow(ModelError);
    expect(() => parseBoostedTrees(json())).toThrow(message);
  });
});

/** A full random tree of `depth` over `numFeature` features, with consistent covers and random default directions. */
function randomTree(random: () => number, depth: number, numFeature: number): TreeSpec {
  const t: TreeSpec = { left: [], right: [], feature: [], threshold: [], defaultLeft: [], cover: [] };
  const grow = (d: number, cover: number): number => {
    const id = t.left.length;
    t.left.push(-1);
    t.right.push(-1);
    t.feature.push(0);
    t.threshold.push(Math.fround(random() * 2 - 1));
    t.defaultLeft.push(random() < 0.5 ? 1 : 0);
    t.cover.push(cover);
    if (d < depth && random() < 0.85) {
      t.feature[id] = Math.floor(random() * numFeature);
      t.threshold[id] = Math.fround(random());
      const share = 0.2 + random() * 0.6;
      t.left[id] = grow(d + 1, cover * share);
      t.right[id] = grow(d + 1, cover * (1 - share));
    }
    return id;
  };
  grow(0, 100);
  return t;
}

/** Shapley values by their definition over all feature subsets, with TreeSHAP's cover-weighted expectation. */
function bruteForceShapley(m: BoostedTrees, row: number[]): number[] {
  const n = m.numFeatures;
  const value = (known: number): number => {
    const walk = (node: number): number => {
      if (m.left[node]! < 0) return m.threshold[node]!;
      const f = m.feature[node]!;
      const l = m.left[node]!;
      const r = m.right[node]!;
      if (known & (1 << f)) {
        const x = row[f]!;
        return walk(Number.isNaN(x) ? (m.defaultLeft[node] ? l : r) : Math.fround(x) < m.threshold[node]! ? l : r);
      }
      return (walk(l) * m.cover[l]! + walk(r) * m.cover[r]!) / m.cover[node]!;
    };
    let total = 0;
    for (let t = 0; t < m.numTrees; t++) total += walk(m.roots[t]!);
    return total;
  };
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const phi = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < 1 << n; s++) {
      if (s & (1 << i)) continue;
      const size = s.toString(2).split('').filter((c) => c === '1').length;
      phi[i]! += ((factorial(size) * factorial(n - size - 1)) / factorial(n)) * (value(s | (1 << i)) - value(s));
    }
  }
  return phi;
}

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}
