import { quantile } from './quantile.js';

export interface MsSummary {
  min: number;
  median: number;
  max: number;
}

/** Minimum, median and maximum of millisecond samples, rounded to 0.1 ms; throws on no samples. */
export function summarizeMs(samples: readonly number[]): MsSummary {
  if (samples.length === 0) throw new Error('summarizeMs needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? quantile(sorted, 0.5) : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: round1(sorted[0]!), median: round1(median), max: round1(sorted[sorted.length - 1]!) };
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
