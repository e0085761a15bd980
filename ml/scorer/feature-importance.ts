import type { BoostedTrees } from './parse-boosted-trees.js';

export interface FeatureImportance {
  feature: string;
  /** The sum of the split gains (XGBoost's total_gain). */
  gain: number;
  /** The sum of the training weight reaching its splits (total_cover). */
  cover: number;
  /** How many splits use it (weight). */
  weight: number;
}

/** XGBoost's total_gain, total_cover and weight for every feature some split uses, by gain (largest first, ties by name). */
export function featureImportance(model: BoostedTrees): FeatureImportance[] {
  const gain = new Float64Array(model.numFeatures);
  const cover = new Float64Array(model.numFeatures);
  const weight = new Int32Array(model.numFeatures);
  for (let t = 0; t < model.roots.length; t++) {
    const stack = [model.roots[t]!];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (model.left[n]! < 0) continue;
      const f = model.feature[n]!;
      gain[f]! += model.gain[n]!;
      cover[f]! += model.cover[n]!;
      weight[f]! += 1;
      stack.push(model.left[n]!, model.right[n]!);
    }
  }
  const out: FeatureImportance[] = [];
  for (let f = 0; f < model.numFeatures; f++) {
    if (weight[f]! > 0) out.push({ feature: model.featureNames[f]!, gain: gain[f]!, cover: cover[f]!, weight: weight[f]! });
  }
  return out.sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature));
}
