import { describe, expect, it } from 'vitest';
import { createPrng } from '../../core/index.js';
import { fitLinearBaseline } from './linear-baseline.js';
import { accuracy, auc, logloss, r2, rmse } from './metrics.js';

describe('holdout metrics', () => {
  it('computes RMSE, R² and AUC as textbooks define them', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2([2, 2, 2], [1, 2, 3])).toBe(0);
    // Pairs (pos, neg): 0.9>0.1, 0.9>0.4, 0.35<0.4, 0.35>0.1 → 3 of 4.
    expect(auc([0.1, 0.4, 0.35, 0.9], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.2, 0.3], [1, 1])).toBeNaN();
    expect(logloss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.log(2), 12);
    expect(accuracy([0.2, 0.7, 0.6], [0, 1, 0])).toBeCloseTo(2 / 3, 12);
  });
});

describe('linear baseline', () => {
  it('recovers a linear relation with missing values and separates two classes', () => {
    const rand = createPrng(7);
    const rows = 2000;
    const cols = 3;
    const values = new Float32Array(rows * cols);
    const y = new Float32Array(rows);
    const cls = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = rand() * 10;
      const b = rand() < 0.2 ? Number.NaN : rand() * 4;
      const c = rand() < 0.5 ? 1 : 0;
      values.set([a, b, c], r * cols);
      // A missing b behaves like b = 6: the indicator column must learn that.
      y[r] = 2 * a - 3 * (Number.isNaN(b) ? 6 : b) + 5 * c + 1 + (rand() - 0.5) * 0.1;
      cls[r] = a + 3 * c + (rand() - 0.5) > 6 ? 1 : 0;
    }
    const ridge = fitLinearBaseline('regression', values, y, cols);
    const fitted = Array.from({ length: rows }, (_, r) => ridge.predict(values, r));
    expect(rmse(fitted, y)).toBeLessThan(0.1);
    const logistic = fitLinearBaseline('classification', values, cls, cols);
    const p = Array.from({ length: rows }, (_, r) => logistic.predict(values, r));
    expect(auc(p, cls)).toBeGreaterThan(0.97);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
  });
});
