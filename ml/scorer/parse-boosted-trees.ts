import { ModelError } from '../../core/index.js';

/**
 * A boosted-tree model flattened for scoring: every tree's nodes share typed arrays, indexed
 * globally (`roots[t]` is tree t's root). Values are XGBoost's float32 numbers.
 */
export interface BoostedTrees {
  readonly objective: 'reg:squarederror' | 'binary:logistic';
  readonly featureNames: readonly string[];
  readonly numFeatures: number;
  readonly numTrees: number;
  /** The margin before any tree: base_score, or its logit for binary:logistic (float32). */
  readonly baseMargin: number;
  readonly roots: Int32Array;
  /** Child node indexes; -1 for a leaf. Always `right[n] === left[n] + 1` (nodes are in breadth-first order). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The split's feature (internal nodes). */
  readonly feature: Int32Array;
  /** `x < threshold` goes left (internal nodes); the leaf value (leaves). */
  readonly threshold: Float32Array;
  /** Where a missing value (NaN) goes: 1 = left. */
  readonly defaultLeft: Uint8Array;
  /** sum_hessian: the training weight reaching the node. */
  readonly cover: Float64Array;
  /** loss_changes: the split's gain (internal nodes). */
  readonly gain: Float64Array;
  /** The cover-weighted mean of the leaves below the node (TreeSHAP's expected value). */
  readonly meanValue: Float64Array;
  /** The deepest leaf's depth (a root leaf is 0). */
  readonly maxDepth: number;
}

type Json = Record<string, unknown>;
const OBJECTIVES = new Set(['reg:squarederror', 'binary:logistic']);

/**
 * Parses XGBoost's JSON model (the 1.7 format, gbtree, one output) into BoostedTrees, checking its
 * shape: array lengths, child links, feature indexes, no categorical splits and no cycle.
 * Throws ModelError naming what is wrong.
 */
export function parseBoostedTrees(json: string): BoostedTrees {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    throw fail(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const learner = object(object(doc, 'the document').learner, 'learner');
  const objective = object(learner.objective, 'learner.objective').name;
  if (typeof objective !== 'string' || !OBJECTIVES.has(objective)) {
    throw fail(`objective ${String(objective)} is not supported (reg:squarederror or binary:logistic)`);
  }
  const param = object(learner.learner_model_param, 'learner.learner_model_param');
  const numFeatures = integerString(param.num_feature, 'learner_model_param.num_feature');
  if (param.num_class !== undefined && integerString(param.num_class, 'learner_model_param.num_class') !== 0) throw fail('multi-class models are not supported');
  if (param.num_target !== undefined && integerString(param.num_target, 'learner_model_param.num_target') !== 1) throw fail('multi-target models are not supported');
  const baseScore = Math.fround(Number(param.base_score));
  if (!Number.isFinite(baseScore)) throw fail(`learner_model_param.base_score ${String(param.base_score)} is not a number`);
  if (objective === 'binary:logistic' && !(baseScore > 0 && baseScore < 1)) throw fail(`base_score ${baseScore} is not a probability`);
  // XGBoost's ProbToMargin for the logistic objective, in float32 as it computes it.
  const baseMargin = objective === 'binary:logistic' ? Math.fround(-Math.log(Math.fround(Math.fround(1 / baseScore) - 1))) : baseScore;

  const booster = object(learner.gradient_booster, 'learner.gradient_booster');
  if (booster.name !== 'gbtree') throw fail(`booster ${String(booster.name)} is not supported (gbtree)`);
  const model = object(booster.model, 'gradient_booster.model');
  const trees = model.trees;
  if (!Array.isArray(trees)) throw fail('gradient_booster.model.trees is not an array');
  const modelParam = object(model.gbtree_model_param, 'gbtree_model_param');
  if (integerString(modelParam.num_trees, 'gbtree_model_param.num_trees') !== trees.length) throw fail(`num_trees is ${String(modelParam.num_trees)} but there are ${trees.length} trees`);
  if (modelParam.num_parallel_tree !== undefined && integerString(modelParam.num_parallel_tree, 'num_parallel_tree') !== 1) throw fail('random forests (num_parallel_tree > 1) are not supported');

  const parsed = trees.map((tree, t) => readTree(tree, t, numFeatures));
  const total = parsed.reduce((sum, tree) => sum + tree.order.length, 0);
  const out = {
    roots: new Int32Array(parsed.length),
    left: new Int32Array(total),
    right: new Int32Array(total),
    feature: new Int32Array(total),
    threshold: new Float32Array(total),
    defaultLeft: new Uint8Array(total),
    cover: new Float64Array(total),
    gain: new Float64Array(total),
    meanValue: new Float64Array(total),
  };
  let offset = 0;
  let maxDepth = 0;
  parsed.forEach((tree, t) => {
    // Nodes are renumbered in breadth-first order, which puts a right child just after its left
    // sibling: the scorer then steps to `left + wentRight` without a branch. Unreachable (deleted) nodes go.
    const position = new Int32Array(tree.left.length);
    tree.order.forEach((node, k) => (position[node] = k));
    out.roots[t] = offset;
    tree.order.forEach((node, k) => {
      const n = offset + k;
      const leaf = tree.left[node]! < 0;
      out.left[n] = leaf ? -1 : offset + position[tree.left[node]!]!;
      out.right[n] = leaf ? -1 : offset + position[tree.right[node]!]!;
      out.feature[n] = leaf ? 0 : tree.feature[node]!;
      out.threshold[n] = tree.threshold[node]!;
      out.defaultLeft[n] = tree.defaultLeft[node] ? 1 : 0;
      out.cover[n] = tree.cover[node]!;
      out.gain[n] = tree.gain[node]!;
    });
    // Children come after their parent: fill mean values bottom-up, as XGBoost does for TreeSHAP.
    for (let n = offset + tree.order.length - 1; n >= offset; n--) {
      const l = out.left[n]!;
      const r = out.right[n]!;
      out.meanValue[n] = l < 0 ? out.threshold[n]! : (out.meanValue[l]! * out.cover[l]! + out.meanValue[r]! * out.cover[r]!) / out.cover[n]!;
    }
    maxDepth = Math.max(maxDepth, tree.depth);
    offset += tree.order.length;
  });

  const names = learner.feature_names;
  const featureNames =
    Array.isArray(names) && names.length === numFeatures && names.every((n) => typeof n === 'string')
      ? (names as string[])
      : Array.from({ length: numFeatures }, (_, i) => `f${i}`);
  return { objective: objective as BoostedTrees['objective'], featureNames, numFeatures, numTrees: parsed.length, baseMargin, ...out, maxDepth };
}

interface ParsedTree {
  left: number[];
  right: number[];
  feature: number[];
  threshold: number[];
  defaultLeft: number[];
  cover: number[];
  gain: number[];
  /** Reachable nodes, parents before children. */
  order: number[];
  depth: number;
}

function readTree(value: unknown, t: number, numFeatures: number): ParsedTree {
  const tree = object(value, `trees[${t}]`);
  const where = `trees[${t}]`;
  const nodes = integerString(object(tree.tree_param, `${where}.tree_param`).num_nodes, `${where}.tree_param.num_nodes`);
  if (nodes < 1) throw fail(`${where} has no nodes`);
  const numbers = (key: string) => {
    const a = tree[key];
    if (!Array.isArray(a) || a.length !== nodes || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw fail(`${where}.${key} must be ${nodes} finite numbers`);
    }
    return a as number[];
  };
  const parsed = {
    left: numbers('left_children'),
    right: numbers('right_children'),
    feature: numbers('split_indices'),
    threshold: numbers('split_conditions'),
    defaultLeft: numbers('default_left'),
    cover: numbers('sum_hessian'),
    gain: numbers('loss_changes'),
  };
  numbers('base_weights');
  const splitType = tree.split_type;
  if (Array.isArray(splitType) && splitType.some((s) => s !== 0)) throw fail(`${where} has categorical splits, which are not supported`);

  const order: number[] = [];
  const seen = new Uint8Array(nodes);
  const depthOf = new Int32Array(nodes);
  let depth = 0;
  const visit = (n: number, d: number) => {
    if (!Number.isInteger(n) || n < 0 || n >= nodes) throw fail(`${where} links to node ${n}, outside 0..${nodes - 1}`);
    if (seen[n]) throw fail(`${where} reaches node ${n} twice`);
    seen[n] = 1;
    depthOf[n] = d;
    order.push(n);
  };
  visit(0, 0);
  for (let k = 0; k < order.length; k++) {
    const n = order[k]!;
    const l = parsed.left[n]!;
    const r = parsed.right[n]!;
    if (l === -1 && r === -1) {
      depth = Math.max(depth, depthOf[n]!);
      continue;
    }
    if (l === -1 || r === -1) throw fail(`${where} node ${n} has one child`);
    const f = parsed.feature[n]!;
    if (!Number.isInteger(f) || f < 0 || f >= numFeatures) throw fail(`${where} node ${n} splits on feature ${f}, outside 0..${numFeatures - 1}`);
    if (!(parsed.cover[n]! > 0)) throw fail(`${where} node ${n} has no cover (sum_hessian ${parsed.cover[n]})`);
    visit(l, depthOf[n]! + 1);
    visit(r, depthOf[n]! + 1);
  }
  return { ...parsed, order, depth };
}

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`${what} is not an object`);
  return value as Json;
}

function integerString(value: unknown, what: string): number {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw fail(`${what} is not a whole number: ${String(value)}`);
  return n;
}

function fail(problem: string): ModelError {
  return new ModelError(`XGBoost model JSON: ${problem}`);
}
