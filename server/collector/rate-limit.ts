/**
 * Token buckets per source: `rate` events a second with a burst of two seconds' worth. `take`
 * answers how many seconds to wait when the bucket lacks `n` tokens (nothing is taken then).
 */
export function tokenBuckets(defaultRate: number, now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(source: string, n: number, rate: number | null): number {
      const r = rate ?? defaultRate;
      const t = now();
      const b = buckets.get(source) ?? { tokens: r * 2, at: t };
      b.tokens = Math.min(r * 2, b.tokens + ((t - b.at) / 1000) * r);
      b.at = t;
      buckets.set(source, b);
      if (b.tokens >= n) {
        b.tokens -= n;
        return 0;
      }
      return Math.max(1, Math.ceil((n - b.tokens) / r));
    },
  };
}
