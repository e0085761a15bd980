// The collector with durable acknowledgements: `gmp collect` in one process, a load generator in
// another, on this machine's 2 cores. Batches of 100, then single events, each against a fresh
// collector: events/s acknowledged, ack latency, the markers' lags to the hot path and to the lake,
// and the collector's RSS sampled through the run (peak: VmHWM). `--long` runs the batches for 5
// minutes (is the RSS flat?); the default run takes about a minute.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../core/index.js';
import type { Benchmark } from './benchmark.js';
import { ensureBuild } from './ensure-build.js';
import { progress } from './progress.js';
import { tsxNodeArgs } from './tsx-node-args.js';

const run = promisify(execFile);

interface Lag {
  p50: number;
  p99: number;
  max: number;
}
interface LoadResult {
  requests: number;
  acked: number;
  errors: number;
  statuses: Record<string, number>;
  firstError?: string;
  seconds: number;
  p50: number;
  p99: number;
  markers: { sent: number; refused: number; onHotPath: number; inLake: number; hotPathLagMs: Lag; lakeLagMs: Lag };
}

async function load(url: string, lakeDir: string, route: string, batch: number, connections: number, seconds: number): Promise<LoadResult> {
  const options = { url, route, batch, connections, seconds, lakeDir, markerEveryMs: 250 };
  const { stdout } = await run(process.execPath, [...tsxNodeArgs('./collector-load.ts'), JSON.stringify(options)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

const loadAverage = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

export const collectorThroughput: Benchmark = {
  name: 'collector-throughput',
  target: 'one collector process with durable acks: ≥ 50,000 events/s in batches of 100, ≥ 5,000 requests/s of single events (load generator beside it, 2 cores)',
  async run() {
    ensureBuild();
    const long = process.argv.includes('--long');
    const [batchSeconds, singleSeconds, sampleEveryMs] = long ? [300, 60, 10_000] : [25, 15, 1000];
    const before = loadAverage();
    // Each phase against a fresh collector: one phase's commit to the lake must not load the next.
    progress(`collector-throughput: batches of 100 for ${batchSeconds} s`);
    const batches = await withCollector(sampleEveryMs, (url, lakeDir) => load(url, lakeDir, '/v1/batch', 100, 16, batchSeconds));
    progress(`collector-throughput: single events for ${singleSeconds} s`);
    const singles = await withCollector(sampleEveryMs, (url, lakeDir) => load(url, lakeDir, '/v1/track', 1, 64, singleSeconds));
    const b = batches.result;
    const s = singles.result;
    const figures = {
      events_per_second_batch100: Math.round(b.acked / b.seconds),
      requests_per_second_single: Math.round(s.acked / s.seconds),
      ack_latency_ms: { batch100: { p50: b.p50, p99: b.p99 }, single: { p50: s.p50, p99: s.p99 } },
      event_to_hot_path_lag_ms: { batch100: b.markers.hotPathLagMs, single: s.markers.hotPathLagMs },
      event_to_lake_lag_ms: { batch100: b.markers.lakeLagMs, single: s.markers.lakeLagMs },
      markers: { batch100: pick(b.markers, ['sent', 'refused', 'onHotPath', 'inLake']), single: pick(s.markers, ['sent', 'refused', 'onHotPath', 'inLake']) },
      peak_rss_mb: { batch100: batches.peakRssMb, single: singles.peakRssMb },
      rss_mb_samples: { every_seconds: sampleEveryMs / 1000, batch100: batches.rssMb, single: singles.rssMb },
      errors: { batch100: b.errors, single: s.errors, statuses: { batch100: b.statuses, single: s.statuses }, ...(b.firstError || s.firstError ? { first: b.firstError ?? s.firstError } : {}) },
      load_average: { before, after: loadAverage() },
      note:
        `${batchSeconds} s of batches of 100 (16 connections), then ${singleSeconds} s of single events (64 connections), a fresh collector each; ` +
        'every 2xx after fdatasync of the write-ahead log (group commit); the lake commit every 10 s in the same process; ' +
        'the load generator is a lean keep-alive HTTP/1.1 client in its own process on the same 2 cores; GMP_COLLECT_RATE is raised so the rate limit does not cap the run. ' +
        'Lags are of marker events (one view every 250 ms, beside the load) from sending them: to being listed by GET /api/v1/users/{id}/recent, and to a committed lake file holding them (polled every 100 ms).',
    };
    return { name: this.name, figures, target: this.target, met: figures.events_per_second_batch100 >= 50_000 && figures.requests_per_second_single >= 5000 };
  },
};

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

/** Starts `gmp collect` in a fresh home, runs `work` against it, stops it; with its RSS samples and peak (VmHWM). */
async function withCollector<T>(sampleEveryMs: number, work: (url: string, lakeDir: string) => Promise<T>): Promise<{ result: T; peakRssMb: number | null; rssMb: number[] }> {
  const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-collect-'));
  const env: NodeJS.ProcessEnv = { ...process.env, GMP_HOME: home, GMP_LOG_LEVEL: 'warn', GMP_COLLECT_RATE: '100000000', GMP_EVENTS_COMMIT_SECONDS: '10' };
  delete env.GMP_LAKE_URL;
  delete env.GMP_HOT_URL;
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'gmp.js'), 'collect', '--port', '0'], { cwd: home, env });
  const status = (field: string): number | null => {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  };
  const rssMb: number[] = [];
  const sampler = setInterval(() => {
    const rss = status('VmRSS');
    if (rss !== null) rssMb.push(rss);
  }, sampleEveryMs);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /gmp collect: (http:\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`gmp collect exited (${String(code)})`)));
    });
    const result = await work(url, path.join(home, 'lake'));
    return { result, peakRssMb: status('VmHWM'), rssMb };
  } finally {
    clearInterval(sampler);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
}
