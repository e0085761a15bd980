import { createPrng } from '../../core/index.js';
import type { BoostingDataset, BoostingObjective } from './boosting-types.js';

export interface SyntheticBoostingOptions {
  objective: BoostingObjective;
  rows: number;
  seed: number;
  /** Numeric columns x0, x1, …, uniform in [-2, 2); at least 5 (x0..x4 carry the signal, the rest is noise). */
  numeric: number;
  /** One-hot groups: each entry is a group's number of levels (columns c<g>_<level>). */
  categories?: number[];
  /** Share of missing values (NaN) in x1 and x3; their absence carries signal too. */
  missingRate?: number;
}

/**
 * Deterministic synthetic data with real structure, for tests and benchmarks: a smooth, an
 * interaction, a step and categorical effects plus noise; missing x1 pushes the target up and a
 * missing x3 pulls it down. For binary:logistic the label is drawn with the sigmoid of that signal.
 */
export function syntheticBoostingData(options: SyntheticBoostingOptions): { featureNames: string[]; data: BoostingDataset } {
  const { rows, numeric } = options;
  if (numeric < 5) throw new RangeError('syntheticBoostingData needs at least 5 numeric columns');
  const groups = options.categories ?? [];
  const missingRate = options.missingRate ?? 0.15;
  const featureNames = Array.from({ length: numeric }, (_, j) => `x${j}`);
  groups.forEach((levels, g) => {
    for (let l = 0; l < levels; l++) featureNames.push(`c${g}_${l}`);
  });
  const cols = featureNames.length;
  const values = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  const random = createPrng(options.seed);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let j = 0; j < numeric; j++) values[at + j] = random() * 4 - 2;
    let signal = 0;
    let column = numeric;
    groups.forEach((levels, g) => {
      const level = Math.floor(random() * levels);
      values[at + column + level] = 1;
      signal += ((level % 3) - 1) * (g % 2 === 0 ? 0.8 : -0.5);
      column += levels;
    });
    const x = (j: number) => values[at + j]!;
    signal += 2 * Math.sin(x(0)) + 0.8 * x(2) * x(4) + (x(2) > 0.5 ? 1 : -0.5);
    if (random() < missingRate) {
      values[at + 1] = NaN;
      signal += 1.5;
    } else signal += 0.5 * x(1) * x(1);
    if (random() < missingRate) {
      values[at + 3] = NaN;
      signal -= 1.2;
    } else signal += 0.6 * x(3);
    if (options.objective === 'binary:logistic') labels[r] = random() < 1 / (1 + Math.exp(-signal)) ? 1 : 0;
    else labels[r] = 3 + signal + (random() - 0.5) * 0.6;
  }
  return { featureNames, data: { rows, cols, values, labels } };
}
