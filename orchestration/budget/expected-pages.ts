/**
 * The expected number of requests to list a day whose item count is Poisson with mean `perDay`,
 * at `pageSize` items a page: E[max(1, ceil(X / pageSize))] = 1 + Σₖ P(X > k·pageSize). An empty
 * day still costs its one (empty) page. Exact where the naive `perDay / pageSize + ½` is off the
 * most: a few dozen items a day, mostly one page, sometimes two.
 */
export function expectedPages(perDay: number, pageSize: number): number {
  if (!(perDay > 0)) return 1;
  // Log-space pmf: exp(-λ) underflows past λ ≈ 745, the terms near the mode never do.
  const logLambda = Math.log(perDay);
  const last = Math.ceil(perDay + 12 * Math.sqrt(perDay) + pageSize);
  let logP = -perDay;
  let cdf = 0;
  let pages = 1;
  for (let i = 0; i <= last; i++) {
    if (i > 0) logP += logLambda - Math.log(i);
    cdf += Math.exp(logP);
    // After the last item of page k: P(X > k·pageSize) more pages expected.
    if (i > 0 && i % pageSize === 0) pages += Math.max(0, 1 - cdf);
  }
  return pages;
}
