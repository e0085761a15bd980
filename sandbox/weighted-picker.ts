import type { Prng } from './prng.js';

/** Picks indices in proportion to fixed weights (binary search over cumulative sums). */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(readonly weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, k) => {
      sum += w;
      this.cumulative[k] = sum;
    });
    this.total = sum;
  }

  /** One index, drawn with probability weight/total. */
  pick(rng: Prng): number {
    const target = rng() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Up to `count` distinct indices (fewer if repeated draws keep colliding), optionally restricted. */
  pickDistinct(rng: Prng, count: number, allowed?: (index: number) => boolean): number[] {
    const out: number[] = [];
    // Bounded retries keep the draw count, and so the cost per game, small and predictable.
    for (let attempt = 0; out.length < count && attempt < count * 6; attempt++) {
      const k = this.pick(rng);
      if (!out.includes(k) && (allowed === undefined || allowed(k))) out.push(k);
    }
    return out;
  }

  /** Estimated share of games that carry index `k` when each game draws `picks` distinct items. */
  coverage(k: number, picks: number): number {
    const share = (this.weights[k] ?? 0) / this.total;
    return 1 - Math.pow(1 - share, picks);
  }
}
