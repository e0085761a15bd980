import { encodeRow, type FeatureRow } from '../features/feature-spec.js';
import { auc, rmse } from '../evaluation/metrics.js';
import { predictRow } from '../scorer/index.js';
import { labelOf, primaryMetric } from '../training/game-models.js';
import type { LoadedModel } from './saved-model.js';

export interface HoldoutComparison {
  metric: 'rmse' | 'auc';
  higherIsBetter: boolean;
  rows: number;
  candidate: number;
  production: number;
  /** The candidate is strictly better than production on these rows. */
  better: boolean;
}

/** A model's primary metric on `rows`, scored by the TypeScript scorer with the model's own spec. */
export function scoreOnRows(model: LoadedModel, rows: readonly FeatureRow[]): number {
  const { task, target } = model.saved;
  const predicted = rows.map((row) => predictRow(model.trees, encodeRow(model.saved.spec, row)));
  const labels = rows.map((row) => labelOf(row, target) ?? Number.NaN);
  return primaryMetric(task).key === 'rmse' ? rmse(predicted, labels) : auc(predicted, labels);
}

/**
 * Both models on the same rows (the candidate's holdout as the warehouse has it now): production
 * keeps its alias unless the candidate is strictly better.
 */
export function compareOnHoldout(candidate: LoadedModel, production: LoadedModel, rows: readonly FeatureRow[]): HoldoutComparison {
  const { key, higherIsBetter } = primaryMetric(candidate.saved.task);
  const c = scoreOnRows(candidate, rows);
  const p = scoreOnRows(production, rows);
  return { metric: key, higherIsBetter, rows: rows.length, candidate: c, production: p, better: higherIsBetter ? c > p : c < p };
}

/** One line for people and for the alias history. */
export function describeComparison(cmp: HoldoutComparison, candidateVersion: number, productionVersion: number): string {
  const f = (v: number) => v.toFixed(4);
  return `${cmp.metric} on the same ${cmp.rows}-game holdout: v${candidateVersion} ${f(cmp.candidate)} vs production v${productionVersion} ${f(cmp.production)} (${cmp.higherIsBetter ? 'higher' : 'lower'} is better)`;
}
