// Child script of the partition-peak-rss benchmark: ingests ONE `rawg/games` partition end to end
// through the project's real path (openWorkspace + materialize: HTTP → validation → gzip JSON
// lines in the local lake → manifest → raw view) and prints one JSON line of figures on stdout.
// It runs in its own process so `maxRSS` counts only the ingestion, not the sandbox serving it.
// Input (argv[2], JSON): { baseUrl, home, partition, now }.
import { fixedClock } from '../core/index.js';
import { materialize, openWorkspace } from '../app/index.js';

interface Input {
  baseUrl: string;
  home: string;
  partition: string;
  now: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const MB = 1024 * 1024;
const peaks = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = (): void => {
  const m = process.memoryUsage();
  peaks.rss = Math.max(peaks.rss, m.rss);
  peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed);
  peaks.external = Math.max(peaks.external, m.external);
  peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
};
sample();
// After the project's modules (and the tsx loader) are loaded, before the run; DuckDB loads lazily.
const rssBeforeRunMb = process.memoryUsage().rss / MB;
const sampler = setInterval(sample, 25);

const ws = openWorkspace({
  cwd: input.home,
  env: {
    RAWG_API_KEY: 'bench-key',
    RAWG_BASE_URL: input.baseUrl,
    GMP_HOME: input.home,
    RAWG_REQUESTS_PER_SECOND: '1000',
    RAWG_CONCURRENCY: '8',
    GMP_LOG_LEVEL: 'warn',
  },
  clock: fixedClock(input.now),
});
const t0 = performance.now();
const run = await materialize(ws, { select: 'rawg/games', partition: input.partition });
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
sample();
const rssAfterRunMb = process.memoryUsage().rss / MB;
const step = run.steps[0];
const result = {
  status: run.status,
  error: run.steps.find((s) => s.error !== undefined)?.error?.message ?? null,
  records: step?.result?.rows ?? 0,
  pages: step?.result?.pages ?? 0,
  requests: run.requests,
  seconds,
  // Linux reports maxRSS in kilobytes (process.resourceUsage docs).
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  rssBeforeRunMb,
  rssAfterRunMb,
  sampledPeakMb: {
    rss: peaks.rss / MB,
    heapUsed: peaks.heapUsed / MB,
    external: peaks.external / MB,
    arrayBuffers: peaks.arrayBuffers / MB,
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
