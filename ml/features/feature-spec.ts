import { createHash } from 'node:crypto';

/**
 * What a model reads from a row of `marts.ml_game_features`, fixed at training time and saved
 * beside the model: the numeric columns, and for each categorical column the vocabulary seen in
 * training (one indicator feature per value). Scoring encodes rows with the saved spec only, so a
 * model and its spec always agree on the columns, whatever the warehouse holds today.
 */

/** A row of `marts.ml_game_features` (or a request shaped like one); nulls are missing values. */
export type FeatureRow = Record<string, unknown>;

/** A categorical column: a single slug (`esrb_rating`) or several joined by '|' (`genres`). */
export interface CategoricalFeature {
  column: string;
  multi: boolean;
  /** The values seen in training, sorted: one feature each. */
  values: string[];
}

export interface FeatureSpec {
  version: 1;
  numeric: string[];
  categorical: CategoricalFeature[];
  /** Feature names in matrix order: the numeric columns, then `column=value` per categorical value. */
  names: string[];
}

/** The columns of `marts.ml_game_features` the models learn from. */
export const NUMERIC_FEATURES = [
  'release_year',
  'release_month',
  'metacritic',
  'playtime',
  'genre_count',
  'platform_count',
  'store_count',
  'publisher_prior_games',
  'publisher_prior_avg_rating',
  'developer_prior_games',
  'developer_prior_avg_rating',
  // Live interest: NULL (missing) where the project has no events.
  'views_7d',
  'wishlist_adds_7d',
] as const;

export const CATEGORICAL_FEATURES: readonly { column: string; multi: boolean }[] = [
  { column: 'genres', multi: true },
  { column: 'parent_platforms', multi: true },
  { column: 'top_tags', multi: true },
  { column: 'esrb_rating', multi: false },
];

/** The slugs of a categorical cell: '|'-joined text, an array, or missing. */
export function categoryValues(cell: unknown, multi: boolean): string[] {
  if (cell === null || cell === undefined || cell === '') return [];
  if (Array.isArray(cell)) return cell.map(String);
  const text = String(cell);
  return multi ? text.split('|').filter((v) => v !== '') : [text];
}

/** A number, or NaN for a missing or non-numeric cell (XGBoost's missing value). */
export function numericValue(cell: unknown): number {
  if (cell === null || cell === undefined || cell === '') return Number.NaN;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  const n = typeof cell === 'number' ? cell : Number(cell);
  return Number.isFinite(n) ? n : Number.NaN;
}

/**
 * The spec for `rows`: the given numeric columns (those the rows carry) and every categorical value
 * seen at least once. `extraNumeric` adds optional columns (live interest) when the rows have them.
 */
export function buildFeatureSpec(rows: readonly FeatureRow[], extraNumeric: readonly string[] = []): FeatureSpec {
  const first = rows[0] ?? {};
  const numeric = [...NUMERIC_FEATURES, ...extraNumeric].filter((c) => c in first);
  const categorical = CATEGORICAL_FEATURES.filter(({ column }) => column in first).map(({ column, multi }) => {
    const seen = new Set<string>();
    for (const row of rows) for (const v of categoryValues(row[column], multi)) seen.add(v);
    return { column, multi, values: [...seen].sort() };
  });
  return { version: 1, numeric, categorical, names: featureNames(numeric, categorical) };
}

function featureNames(numeric: readonly string[], categorical: readonly CategoricalFeature[]): string[] {
  return [...numeric, ...categorical.flatMap((c) => c.values.map((v) => `${c.column}=${v}`))];
}

/**
 * Rows as a row-major float32 matrix in the spec's order (NaN = missing). Categorical values the
 * spec does not know are ignored here (batch scoring of new slugs); requests are validated first.
 */
export function encodeRows(spec: FeatureSpec, rows: readonly FeatureRow[]): Float32Array {
  const cols = spec.names.length;
  const out = new Float32Array(rows.length * cols);
  const offsets = categoricalOffsets(spec);
  rows.forEach((row, r) => encodeInto(spec, offsets, row, out, r * cols));
  return out;
}

/** One row, encoded. */
export function encodeRow(spec: FeatureSpec, row: FeatureRow): Float32Array {
  const out = new Float32Array(spec.names.length);
  encodeInto(spec, categoricalOffsets(spec), row, out, 0);
  return out;
}

type Offsets = { start: number; index: Map<string, number> }[];

function categoricalOffsets(spec: FeatureSpec): Offsets {
  let start = spec.numeric.length;
  return spec.categorical.map((c) => {
    const entry = { start, index: new Map(c.values.map((v, i) => [v, i])) };
    start += c.values.length;
    return entry;
  });
}

function encodeInto(spec: FeatureSpec, offsets: Offsets, row: FeatureRow, out: Float32Array, base: number): void {
  spec.numeric.forEach((column, i) => {
    out[base + i] = numericValue(row[column]);
  });
  spec.categorical.forEach((c, k) => {
    const { start, index } = offsets[k]!;
    for (const v of categoryValues(row[c.column], c.multi)) {
      const i = index.get(v);
      if (i !== undefined) out[base + start + i] = 1;
    }
  });
}

/** A stable fingerprint of a training set: the spec's names and every encoded value and label. */
export function datasetFingerprint(names: readonly string[], values: Float32Array, labels: Float32Array): string {
  const hash = createHash('sha256');
  hash.update(names.join('\n'));
  hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  hash.update(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  return hash.digest('hex').slice(0, 16);
}
