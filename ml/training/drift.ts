import { numericValue, type FeatureRow, type FeatureSpec } from '../features/feature-spec.js';

/** A numeric feature's training distribution: bin edges (deciles) and the share of rows per bin, missing apart. */
export interface FeatureReference {
  feature: string;
  /** Upper edges of all bins but the last (a value v goes to the first bin with v <= edge). */
  edges: number[];
  shares: number[];
  missingShare: number;
}

const BINS = 10;
/** The usual reading of the population stability index: below 0.1 stable, 0.1–0.25 moderate, above a shift. */
export const PSI_WARN = 0.1;
export const PSI_SHIFT = 0.25;

/** Decile bins of every numeric feature of the training rows, for later drift checks. */
export function featureReference(spec: FeatureSpec, rows: readonly FeatureRow[]): FeatureReference[] {
  return spec.numeric.map((feature) => {
    const values = rows.map((r) => numericValue(r[feature]));
    const present = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const edges = [...new Set(Array.from({ length: BINS - 1 }, (_, i) => present[Math.floor(((i + 1) * present.length) / BINS)]).filter((v): v is number => v !== undefined))];
    const { shares, missingShare } = distribution(values, edges);
    return { feature, edges, shares, missingShare };
  });
}

/** Population stability index of `rows` against a reference, per feature (missing values are a bin). */
export function populationStability(reference: readonly FeatureReference[], rows: readonly FeatureRow[]): { feature: string; psi: number }[] {
  return reference.map((ref) => {
    const now = distribution(
      rows.map((r) => numericValue(r[ref.feature])),
      ref.edges,
    );
    const expected = [...ref.shares.map((s) => s * (1 - ref.missingShare)), ref.missingShare];
    const actual = [...now.shares.map((s) => s * (1 - now.missingShare)), now.missingShare];
    let psi = 0;
    for (let i = 0; i < expected.length; i++) {
      // A floor keeps an empty bin from making the index infinite.
      const e = Math.max(expected[i]!, 1e-4);
      const a = Math.max(actual[i]!, 1e-4);
      psi += (a - e) * Math.log(a / e);
    }
    return { feature: ref.feature, psi };
  });
}

function distribution(values: readonly number[], edges: readonly number[]): { shares: number[]; missingShare: number } {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let missing = 0;
  for (const v of values) {
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    let bin = edges.findIndex((edge) => v <= edge);
    if (bin === -1) bin = edges.length;
    counts[bin]! += 1;
  }
  const present = values.length - missing;
  return { shares: counts.map((c) => (present === 0 ? 0 : c / present)), missingShare: values.length === 0 ? 0 : missing / values.length };
}
