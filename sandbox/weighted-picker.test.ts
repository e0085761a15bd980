import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';
import { WeightedPicker } from './weighted-picker.js';

/** The definition: the first index whose cumulative weight exceeds u × total (the last one if none does). */
function firstAbove(weights: readonly number[], u: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let sum = 0;
  for (let k = 0; k < weights.length; k++) {
    sum += weights[k]!;
    if (sum > u * total) return k;
  }
  return Math.max(0, weights.length - 1);
}

describe('WeightedPicker', () => {
  const cases: Record<string, number[]> = {
    'one item': [3],
    'equal weights': [1, 1, 1, 1, 1],
    'zero weights between': [0, 5, 0, 0, 1, 0, 2, 0],
    'a heavy head and a long tail': [534_389, 1104, 5638, 6825, 970, 5502, 77_351, 52_373, 37, 1, 0, 1, 2, 3],
    'fractions': [0.1, 0.2, 0.30000000000000004, 0.05, 1e-9],
  };
  for (const [name, weights] of Object.entries(cases)) {
    it(`picks the index the cumulative weights define: ${name}`, () => {
      const picker = new WeightedPicker(weights);
      const draws = [0, 1 - 2 ** -32, 0.5, ...Array.from({ length: 5000 }, createPrng(7))];
      // Each draw's exact boundaries too: u × total landing on a cumulative sum picks the next index.
      const total = weights.reduce((s, w) => s + w, 0);
      let sum = 0;
      for (const w of weights) {
        sum += w;
        if (sum < total) draws.push(sum / total);
      }
      for (const u of draws) expect(picker.pick(() => u), `u = ${u}`).toBe(firstAbove(weights, u));
    });
  }

  it('draws each index in proportion to its weight', () => {
    const picker = new WeightedPicker([1, 2, 0, 7]);
    const rng = createPrng(11);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) counts[picker.pick(rng)]! += 1;
    expect(counts[2]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
    expect(counts[3]! / 100_000).toBeCloseTo(0.7, 1);
  });
});
