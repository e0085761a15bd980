import { UsageError } from '../../core/index.js';
import { encodeRow, featureContributions, predictRow, type FeatureRow } from '../../ml/index.js';
import { numberOrNull, withReader } from '../market/market.js';
import type { Workspace } from '../workspace.js';
import { productionModels, type ServingModel } from './production-models.js';

/** One feature's share of a prediction (in the model's margin: rating points, or log-odds). */
export interface Contribution {
  feature: string;
  /** For people: `genre: rpg`, `publisher's earlier games' rating`. */
  label: string;
  /** The feature's value for this game (1 for a category it has; null when missing). */
  value: number | null;
  contribution: number;
}

export interface ModelPrediction {
  model: string;
  version: number;
  runId: string;
  target: string;
  /** The rating, or the probability of becoming popular. */
  value: number;
  /** The model's output before any feature: the training average (margin space). */
  baseline: number;
  /** The features that moved this prediction most, by size. */
  contributions: Contribution[];
}

export interface GamePrediction {
  gameId: number | null;
  rating: ModelPrediction | null;
  popularity: ModelPrediction | null;
}

const TOP = 5;

/** The production models' predictions for a game of the marts, with their top reasons. */
export async function predictGame(ws: Workspace, gameId: number): Promise<GamePrediction> {
  const models = await servingModels(ws);
  const [row] = await withReader(ws, (w) => w.query('SELECT * FROM marts.ml_game_features WHERE game_id = ?', { params: [gameId] }));
  if (row === undefined) throw new UsageError(`no game ${gameId} in marts.ml_game_features`, { code: 'NOT_FOUND', hint: 'find games with GET /api/v1/games?search=…' });
  return { gameId, ...scoreRow(models, row) };
}

/** What a client may describe of a game that does not exist yet (slugs as in the catalogue). */
export interface PredictInput {
  genres: string[];
  parent_platforms?: string[];
  tags?: string[];
  esrb_rating?: string | null;
  /** A publisher's slug: its track record before the release date comes from the marts. */
  publisher?: string;
  developers?: string[];
  /** YYYY-MM-DD. */
  release_date: string;
  metacritic?: number | null;
  playtime?: number;
  platform_count?: number;
  store_count?: number;
}

/**
 * Predictions for a described game: its track record is computed from the marts as the features
 * mart does (games released before its release date), then scored like any game. A slug the models
 * do not know (or a publisher the marts lack) is a USAGE error naming the field.
 */
export async function predictFeatures(ws: Workspace, input: PredictInput): Promise<GamePrediction> {
  const models = await servingModels(ws);
  for (const m of models) validateAgainstSpec(m, input);
  const record = await withReader(ws, async (w) => {
    const history = async (role: 'publisher' | 'developer', slugs: readonly string[], fieldOf: (i: number) => string) => {
      if (slugs.length === 0) return { prior_games: 0, prior_avg_rating: null as number | null };
      let most = 0;
      const averages: number[] = [];
      for (const [i, slug] of slugs.entries()) {
        const [known] = await w.query(`SELECT ${role}_id AS id FROM marts.dim_${role}s WHERE slug = ?`, { params: [slug] });
        if (known === undefined) throw new UsageError(`${fieldOf(i)}: no ${role} '${slug}' in the marts`, { hint: `slugs as in marts.dim_${role}s` });
        const [r] = await w.query(
          // Rated as ml_game_features counts them: RAWG's 0.0 (a few ratings) is no rating.
          `SELECT count(*) AS n, avg(CASE WHEN g.ratings_count > 0 AND g.rating > 0 THEN g.rating END) AS avg_rating
           FROM marts.bridge_game_${role}s b JOIN marts.dim_games g ON g.game_id = b.game_id
           WHERE b.${role}_id = ? AND g.released < CAST(? AS DATE)`,
          { params: [Number(known.id), input.release_date] },
        );
        most = Math.max(most, Number(r?.n ?? 0));
        const avg = numberOrNull(r?.avg_rating);
        if (avg !== null) averages.push(avg);
      }
      return { prior_games: most, prior_avg_rating: averages.length === 0 ? null : averages.reduce((a, b) => a + b, 0) / averages.length };
    };
    const publisher = await history('publisher', input.publisher === undefined ? [] : [input.publisher], () => 'publisher');
    const developer = await history('developer', input.developers ?? [], (i) => `developers[${i}]`);
    return { publisher, developer };
  });
  const [year, month] = input.release_date.split('-').map(Number);
  const row: FeatureRow = {
    release_year: year,
    release_month: month,
    metacritic: input.metacritic ?? null,
    playtime: input.playtime ?? 0,
    esrb_rating: input.esrb_rating ?? null,
    genres: input.genres.join('|'),
    genre_count: input.genres.length,
    parent_platforms: (input.parent_platforms ?? []).join('|'),
    platform_count: input.platform_count ?? (input.parent_platforms ?? []).length,
    store_count: input.store_count ?? null,
    top_tags: (input.tags ?? []).join('|'),
    publisher_prior_games: record.publisher.prior_games,
    publisher_prior_avg_rating: record.publisher.prior_avg_rating,
    developer_prior_games: record.developer.prior_games,
    developer_prior_avg_rating: record.developer.prior_avg_rating,
    // A game that does not exist yet has had no views (NULL would read as "no telemetry at all").
    views_7d: 0,
    wishlist_adds_7d: 0,
  };
  return { gameId: null, ...scoreRow(models, row) };
}

async function servingModels(ws: Workspace): Promise<ServingModel[]> {
  const models = await productionModels(ws);
  if (models.length === 0) {
    throw new UsageError('no prediction model is in production yet', { code: 'NOT_FOUND', hint: 'train them: gmp materialize --select tag:training' });
  }
  return models;
}

/** Every slug must be one the model learnt (else it could not change the prediction): 400 naming the field. */
function validateAgainstSpec(m: ServingModel, input: PredictInput): void {
  const fields: [string, readonly string[]][] = [
    ['genres', input.genres],
    ['parent_platforms', input.parent_platforms ?? []],
    ['tags', input.tags ?? []],
    ['esrb_rating', input.esrb_rating ? [input.esrb_rating] : []],
  ];
  for (const [field, values] of fields) {
    const column = field === 'tags' ? 'top_tags' : field;
    const known = m.model.saved.spec.categorical.find((c) => c.column === column)?.values ?? [];
    values.forEach((v, i) => {
      if (!known.includes(v)) {
        const name = field === 'esrb_rating' ? field : `${field}[${i}]`;
        throw new UsageError(`${name}: unknown ${field === 'tags' ? 'tag' : field.replace(/s$/, '').replace('_', ' ')} '${v}'`, {
          hint: known.length === 0 ? `the models learnt from no ${field.replace('_', ' ')} (the training data had none): leave it out` : `the models know: ${known.slice(0, 40).join(', ')}${known.length > 40 ? ', …' : ''}`,
        });
      }
    });
  }
}

function scoreRow(models: readonly ServingModel[], row: FeatureRow): Omit<GamePrediction, 'gameId'> {
  const out: Omit<GamePrediction, 'gameId'> = { rating: null, popularity: null };
  for (const m of models) {
    const { spec } = m.model.saved;
    const x = encodeRow(spec, row);
    const contributions = featureContributions(m.model.trees, x);
    const bias = contributions[contributions.length - 1]!;
    const top = spec.names
      .map((feature, i) => ({ feature, i, contribution: contributions[i]! }))
      .filter((c) => c.contribution !== 0)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP)
      .map(({ feature, i, contribution }) => ({ feature, label: labelOf(feature), value: Number.isNaN(x[i]!) ? null : x[i]!, contribution }));
    const prediction: ModelPrediction = {
      model: m.definition.model,
      version: m.version.version,
      runId: m.version.runId,
      target: m.definition.target,
      value: predictRow(m.model.trees, x),
      baseline: bias,
      contributions: top,
    };
    if (m.definition.task === 'regression') out.rating = prediction;
    else out.popularity = prediction;
  }
  return out;
}

const LABELS: Record<string, string> = {
  release_year: 'release year',
  release_month: 'release month',
  metacritic: 'Metacritic score',
  playtime: 'playtime (hours)',
  genre_count: 'number of genres',
  platform_count: 'number of platforms',
  store_count: 'number of stores',
  publisher_prior_games: "publisher's earlier games",
  publisher_prior_avg_rating: "publisher's earlier games' rating",
  developer_prior_games: "developer's earlier games",
  developer_prior_avg_rating: "developer's earlier games' rating",
  views_7d: 'views in the last 7 days',
  wishlist_adds_7d: 'wishlist adds in the last 7 days',
};
const CATEGORY_LABELS: Record<string, string> = { genres: 'genre', parent_platforms: 'platform', top_tags: 'tag', esrb_rating: 'ESRB' };

/** `genres=rpg` → `genre: rpg`; numeric columns by their meaning. */
export function labelOf(feature: string): string {
  const eq = feature.indexOf('=');
  if (eq === -1) return LABELS[feature] ?? feature.replaceAll('_', ' ');
  const column = feature.slice(0, eq);
  return `${CATEGORY_LABELS[column] ?? column}: ${feature.slice(eq + 1)}`;
}
