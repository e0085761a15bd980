import type { FeatureRow } from '../features/feature-spec.js';

/** A model gmp trains on `marts.ml_game_features`: its registry name, target column and task. */
export interface GameModelDefinition {
  /** Registry name and experiment name, e.g. `game_rating_model`. */
  model: string;
  target: string;
  task: 'regression' | 'classification';
  description: string;
}

export const GAME_MODELS: readonly GameModelDefinition[] = [
  {
    model: 'game_rating_model',
    target: 'rating',
    task: 'regression',
    description: "Predicts a game's RAWG rating (0–5) from what is known at release: genres, platforms, tags, ESRB, Metacritic, timing and its publisher's and developers' track record.",
  },
  {
    model: 'game_popularity_model',
    target: 'popular',
    task: 'classification',
    description: "Predicts whether a game becomes popular (more ratings than var('ml_popular_ratings_count'), 100 by default) from the same features.",
  },
];

/** The metric that decides promotions, and which way is better. */
export function primaryMetric(task: GameModelDefinition['task']): { key: 'rmse' | 'auc'; higherIsBetter: boolean } {
  return task === 'regression' ? { key: 'rmse', higherIsBetter: false } : { key: 'auc', higherIsBetter: true };
}

/** The label of a row for `target`, or null when the row has none (an unrated game). */
export function labelOf(row: FeatureRow, target: string): number | null {
  const v = row[target];
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A game's release day as `YYYY-MM-DD`, or null. */
export function releaseDay(row: FeatureRow): string | null {
  const v = row.released;
  if (v === null || v === undefined) return null;
  const text = v instanceof Date ? v.toISOString() : String(v);
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;
}

export interface TimeSplit {
  train: FeatureRow[];
  /** The latest part of the training period: early stopping watches it. */
  valid: FeatureRow[];
  holdout: FeatureRow[];
  /** First release day of the holdout: the model only learnt from games released before it. */
  cutoff: string;
  /** First release day of the validation part. */
  validFrom: string;
  asOf: string;
}

export interface SplitOptions {
  /** Share of the labelled, released games (the latest) kept out for evaluation. */
  holdoutShare?: number;
  /** Share of the rest (the latest) that early stopping watches. */
  validShare?: number;
}

/**
 * A time-based split: games released up to `asOf` with a label, ordered by release day; the latest
 * `holdoutShare` are the holdout, the latest `validShare` of the rest the validation part. A day is
 * never split across parts, so every game the model learns from was released before every game it
 * is evaluated on.
 */
export function splitByRelease(rows: readonly FeatureRow[], target: string, asOf: string, options: SplitOptions = {}): TimeSplit {
  const eligible = rows
    .map((row) => ({ row, day: releaseDay(row) }))
    .filter((r): r is { row: FeatureRow; day: string } => r.day !== null && r.day <= asOf && labelOf(r.row, target) !== null)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : Number(a.row.game_id) - Number(b.row.game_id)));
  const cutoff = dayAtShare(eligible, 1 - (options.holdoutShare ?? 0.2));
  const before = eligible.filter((r) => r.day < cutoff);
  const validFrom = dayAtShare(before, 1 - (options.validShare ?? 0.15));
  return {
    train: before.filter((r) => r.day < validFrom).map((r) => r.row),
    valid: before.filter((r) => r.day >= validFrom).map((r) => r.row),
    holdout: eligible.filter((r) => r.day >= cutoff).map((r) => r.row),
    cutoff,
    validFrom,
    asOf,
  };
}

/** The holdout a run used, taken again from today's rows (promotions compare models on it). */
export function holdoutOf(rows: readonly FeatureRow[], target: string, cutoff: string, asOf: string): FeatureRow[] {
  return rows.filter((row) => {
    const day = releaseDay(row);
    return day !== null && day >= cutoff && day <= asOf && labelOf(row, target) !== null;
  });
}

/** The release day at `share` of the way through `sorted` (the day itself goes to the later part). */
function dayAtShare(sorted: readonly { day: string }[], share: number): string {
  if (sorted.length === 0) return '9999-12-31';
  const at = Math.min(sorted.length - 1, Math.max(1, Math.floor(sorted.length * share)));
  return sorted[at]!.day;
}
