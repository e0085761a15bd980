import type { SandboxOptions } from '../sandbox/index.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { progress } from './progress.js';
import { quantile } from './quantile.js';
import { spawnSandbox, type SandboxProcess } from './spawn-sandbox.js';
import { walkGamesDay, type WalkResult } from './walk-games-day.js';

const DAY = '2025-06-29';
const SANDBOX: SandboxOptions = { games: 100_000, asOf: '2025-06-30', latencyMs: 20, burst: { day: DAY, count: 20_000 } };
const CONFIGS = [
  { requestsPerSecond: 50, concurrency: 4 },
  { requestsPerSecond: 100, concurrency: 8 },
  { requestsPerSecond: 1000, concurrency: 4 },
] as const;
/** Sequential walks timed for the time of one request alone (after one warm-up walk); their median is used. */
const SERVICE_WALKS = 3;
const MIN_PAGES = 300;
/** Walks per configuration; the one with the median achieved rate is reported (a shared machine's load moves single walks). */
const WALKS_PER_CONFIG = 3;
const MET_RATIO = 0.9;

const LIMIT_RULE =
  'limit = min(requestsPerSecond, concurrency × 1000 / loneRequestMs), loneRequestMs = median ms per page of ' +
  `${SERVICE_WALKS} sequential walks (concurrency 1, no rate limit) of the same list on the same sandbox (its latency on), ` +
  'after a warm-up walk: what one request takes when nothing else is in flight. When the rate term is the smaller one the ' +
  'token bucket (capacity = requestsPerSecond, full at the start) is subtracted explicitly: achieved = (pages − capacity) / ' +
  'seconds, which token conservation bounds by the rate; otherwise achieved = pages / seconds.';
const NOMINAL_RULE =
  'the former rule, for comparison: latencyMs + serviceTimeMs in place of loneRequestMs, serviceTimeMs measured the same way ' +
  'with the sandbox latency at 0; it counts the sandbox timer firing after its nominal latencyMs (Node timers fire late, ' +
  'never early) against the client.';

/**
 * Pages per second of the project's HTTP client + paginator walking one large `/games` day on the
 * RAWG sandbox, per (rate, concurrency) configuration, against the theoretical limit (LIMIT_RULE).
 * The sandbox runs in its own process: on one shared event loop its CPU work would be serialised
 * with the client's and the figure would measure the sandbox as much as the client.
 */
const TARGET = `achieved pages/s (median of ${WALKS_PER_CONFIG} walks) >= ${MET_RATIO * 100}% of the theoretical limit in every configuration, over >= ${MIN_PAGES} pages`;

export const ingestionThroughput: Benchmark = {
  name: 'ingestion-throughput',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    const serviceTimeMs = await measureServiceTime();
    progress(`ingestion-throughput: service time ${serviceTimeMs.toFixed(2)} ms per request (latency 0)`);

    const sandbox = await spawnSandbox(SANDBOX);
    try {
      const loneRequestMs = await sequentialMsPerPage(sandbox);
      progress(`ingestion-throughput: one request alone takes ${loneRequestMs.toFixed(2)} ms (latency ${SANDBOX.latencyMs ?? 0} ms)`);
      progress('ingestion-throughput: warm-up walk (not counted)');
      await walkGamesDay({ baseUrl: sandbox.url, day: DAY, requestsPerSecond: 1000, concurrency: 8 });
      const configs = [];
      for (const config of CONFIGS) {
        progress(`ingestion-throughput: ${config.requestsPerSecond} req/s, concurrency ${config.concurrency}`);
        configs.push(await measureConfig(sandbox, config, loneRequestMs, serviceTimeMs));
      }
      return {
        name: 'ingestion-throughput',
        figures: {
          sandbox: { ...SANDBOX, process: 'separate Node process' },
          list: `/games?updated=${DAY},${DAY}&ordering=-updated&page_size=40`,
          loneRequestMs: round2(loneRequestMs),
          serviceTimeMs: round2(serviceTimeMs),
          limitRule: LIMIT_RULE,
          nominalRule: NOMINAL_RULE,
          configs,
        },
        target: TARGET,
        met: configs.every((c) => c.met),
      };
    } finally {
      await sandbox.close();
    }
  },
};

async function measureServiceTime(): Promise<number> {
  const sandbox = await spawnSandbox({ ...SANDBOX, latencyMs: 0 });
  try {
    return await sequentialMsPerPage(sandbox);
  } finally {
    await sandbox.close();
  }
}

/** Median ms per page of SERVICE_WALKS walks at concurrency 1 (after a warm-up walk). */
async function sequentialMsPerPage(sandbox: SandboxProcess): Promise<number> {
  const walk = () => walkGamesDay({ baseUrl: sandbox.url, day: DAY, requestsPerSecond: 1000, concurrency: 1 });
  await walk();
  const perPage: number[] = [];
  for (let i = 0; i < SERVICE_WALKS; i++) {
    const w = await walk();
    perPage.push((w.seconds * 1000) / w.requests);
  }
  return quantile(perPage.sort((a, b) => a - b), 0.5);
}

async function measureConfig(
  sandbox: SandboxProcess,
  config: { requestsPerSecond: number; concurrency: number },
  loneRequestMs: number,
  serviceTimeMs: number,
) {
  const { requestsPerSecond: rate, concurrency } = config;
  const concurrencyLimit = (concurrency * 1000) / loneRequestMs;
  const nominalLimit = Math.min(rate, (concurrency * 1000) / ((SANDBOX.latencyMs ?? 0) + serviceTimeMs));
  const rateBound = rate < concurrencyLimit;
  const limit = Math.min(rate, concurrencyLimit);
  // createTokenBucket's default capacity: Math.max(1, Math.ceil(requestsPerSecond)), full at the start.
  const bucketCapacity = Math.max(1, Math.ceil(rate));
  const walks: { w: WalkResult; serverCpuMs: number; subtracted: number; achieved: number }[] = [];
  for (let i = 0; i < WALKS_PER_CONFIG; i++) {
    const serverCpu0 = await sandbox.cpuMs();
    const w = await walkGamesDay({ baseUrl: sandbox.url, day: DAY, requestsPerSecond: rate, concurrency });
    const serverCpuMs = (await sandbox.cpuMs()) - serverCpu0;
    const subtracted = rateBound ? Math.min(bucketCapacity, w.pages) : 0;
    walks.push({ w, serverCpuMs, subtracted, achieved: (w.pages - subtracted) / w.seconds });
  }
  const byAchieved = [...walks].sort((a, b) => a.achieved - b.achieved);
  const { w, serverCpuMs, subtracted, achieved } = byAchieved[Math.floor(byAchieved.length / 2)]!;
  const sorted = [...w.requestMs].sort((a, b) => a - b);
  const meanRequestMs = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
  return {
    requestsPerSecond: rate,
    concurrency,
    pages: w.pages,
    records: w.records,
    requests: w.requests,
    seconds: round2(w.seconds),
    rawPagesPerSecond: round1(w.pages / w.seconds),
    burstPagesSubtracted: subtracted,
    achievedPagesPerSecond: round1(achieved),
    achievedPerWalk: walks.map((x) => round1(x.achieved)),
    bound: rateBound ? 'rate' : 'concurrency',
    limitPagesPerSecond: round1(limit),
    ratioToLimit: round2(achieved / limit),
    nominalLimitPagesPerSecond: round1(nominalLimit),
    ratioToNominalLimit: round2(achieved / nominalLimit),
    requestMs: {
      mean: round1(meanRequestMs),
      p50: round1(quantile(sorted, 0.5)),
      p90: round1(quantile(sorted, 0.9)),
      max: round1(quantile(sorted, 1)),
    },
    // Little's law: requests in flight on average; equal to `concurrency` when no slot sits idle.
    meanInFlight: round2((w.pages / w.seconds) * (meanRequestMs / 1000)),
    clientCpuMsPerPage: round2(w.cpuMs / w.pages),
    sandboxCpuMsPerPage: round2(serverCpuMs / w.pages),
    met: w.pages - subtracted >= MIN_PAGES && achieved >= MET_RATIO * limit,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
