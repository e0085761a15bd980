import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../sandbox/index.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { progress } from './progress.js';
import { runChildJson } from './run-child-json.js';
import { tsxNodeArgs } from './tsx-node-args.js';

/** What bench/ingest-partition.ts prints. */
interface ChildFigures {
  status: string;
  error: string | null;
  records: number;
  pages: number;
  requests: number;
  seconds: number;
  maxRssMb: number;
  rssBeforeRunMb: number;
  rssAfterRunMb: number;
  sampledPeakMb: Record<string, number>;
}

const SIZES = [25_000, 50_000, 100_000] as const;
const DAY = '2025-06-29';
const AS_OF = '2025-06-30';
/** The run's fixed clock: a few days after the partition, as a daily schedule would run it. */
const NOW = '2025-07-02T06:00:00Z';
const MAX_RSS_MB = 300;
const MAX_GROWTH = 0.25;

/**
 * Peak RSS of a child process ingesting ONE `rawg/games` partition of N games end to end through
 * `openWorkspace` + `materialize` (HTTP → validation → gzip JSON lines in the local lake →
 * manifest), served by the sandbox in this process so the child's `maxRSS` is the ingestion's.
 * (Cross-check from outside with `/usr/bin/time -v`, whose "Maximum resident set size" is the same
 * kernel figure.)
 */
const TARGET = `maxRSS <= ${MAX_RSS_MB} MB at 100k games and growth from 25k to 100k under ${MAX_GROWTH * 100}%`;

export const partitionPeakRss: Benchmark = {
  name: 'partition-peak-rss',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    const runs = [];
    for (const n of SIZES) {
      progress(`partition-peak-rss: ingesting one partition of ${n} games in a child process`);
      runs.push({ games: n, ...(await ingestOnePartition(n)) });
    }
    const first = runs[0]!;
    const last = runs[runs.length - 1]!;
    const growth = (last.maxRssMb - first.maxRssMb) / first.maxRssMb;
    return {
      name: 'partition-peak-rss',
      figures: {
        partition: DAY,
        sandbox: { games: 1000, asOf: AS_OF, burst: { day: DAY, count: 'games of each run' }, process: 'the benchmark process' },
        runs,
        rssGrowth25kTo100kPercent: round1(growth * 100),
      },
      target: TARGET,
      met: runs.every((r) => r.status === 'succeeded') && last.maxRssMb <= MAX_RSS_MB && growth < MAX_GROWTH,
    };
  },
};

async function ingestOnePartition(games: number) {
  const sandbox = await startSandbox({ games: 1000, asOf: AS_OF, burst: { day: DAY, count: games } });
  const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-rss-'));
  try {
    const input = { baseUrl: sandbox.url, home, partition: DAY, now: NOW };
    const child = await runChildJson<ChildFigures>([...tsxNodeArgs('./ingest-partition.ts'), JSON.stringify(input)], home);
    if (child.status !== 'succeeded') throw new Error(`ingestion of ${games} games ${child.status}: ${child.error ?? ''}`);
    if (child.records < games) throw new Error(`ingestion of ${games} games committed only ${child.records} records`);
    return {
      status: child.status,
      records: child.records,
      pages: child.pages,
      requests: child.requests,
      seconds: round1(child.seconds),
      recordsPerSecond: Math.round(child.records / child.seconds),
      maxRssMb: round1(child.maxRssMb),
      rssBeforeRunMb: round1(child.rssBeforeRunMb),
      rssAfterRunMb: round1(child.rssAfterRunMb),
      sampledPeakMb: Object.fromEntries(Object.entries(child.sampledPeakMb).map(([k, v]) => [k, round1(v)])),
    };
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
