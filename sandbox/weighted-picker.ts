import type { Prng } from './prng.js';

/**
 * Picks indices in proportion to fixed weights: the first index whose cumulative sum exceeds
 * u × total, found from a guide table (a bucket of u names where to start scanning), so a pick
 * costs one or two comparisons instead of a binary search (the generator's hot paths pick per game).
 */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  readonly total: number;
  /** guide[j]: no index below it can be the pick of a u in [j / size, (j + 1) / size). */
  private readonly guide: Uint32Array;

  constructor(readonly weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, k) => {
      sum += w;
      this.cumulative[k] = sum;
    });
    this.total = sum;
    // A power of two, so that j / size is exact and u >= j / size implies u × total >= (j / size) × total.
    const size = 2 ** Math.ceil(Math.log2(2 * Math.max(1, weights.length)));
    this.guide = new Uint32Array(size);
    const last = weights.length - 1;
    let k = 0;
    for (let j = 0; j < size; j++) {
      const threshold = (j / size) * sum;
      while (k < last && this.cumulative[k]! <= threshold) k++;
      this.guide[j] = k;
    }
  }

  /** One index, drawn with probability weight/total. */
  pick(rng: Prng): number {
    const u = rng();
    const target = u * this.total;
    const last = this.cumulative.length - 1;
    let k = this.guide[Math.floor(u * this.guide.length)]!;
    while (k < last && this.cumulative[k]! <= target) k++;
    return k;
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
