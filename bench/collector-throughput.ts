// The collector with durable acknowledgements: `gmp collect` in one process, a load generator in
// another, on this machine's 2 cores. Batches of 100 and single events; events/s acknowledged,
// ack latency, and the collector's peak RSS (VmHWM).
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
const SECONDS = 10;

async function load(url: string, route: string, batch: number, connections: number): Promise<{ requests: number; acked: number; errors: number; statuses: Record<string, number>; seconds: number; p50: number; p99: number }> {
  const { stdout } = await run(process.execPath, [...tsxNodeArgs('./collector-load.ts'), JSON.stringify({ url, route, batch, connections, seconds: SECONDS })], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as never;
}

export const collectorThroughput: Benchmark = {
  name: 'collector-throughput',
  target: 'one collector process with durable acks: ≥ 50,000 events/s in batches of 100, ≥ 5,000 requests/s of single events (load generator beside it, 2 cores)',
  async run() {
    ensureBuild();
    // Each phase against a fresh collector: one phase's commit to the lake must not load the next.
    progress(`collector-throughput: batches of 100 for ${SECONDS} s`);
    const batches = await withCollector((url) => load(url, '/v1/batch', 100, 16));
    progress(`collector-throughput: single events for ${SECONDS} s`);
    const singles = await withCollector((url) => load(url, '/v1/track', 1, 64));
    const figures = {
      batchesOf100: { eventsPerSecond: Math.round(batches.result.acked / batches.result.seconds), requestsPerSecond: Math.round(batches.result.requests / batches.result.seconds), ackLatencyMs: { p50: batches.result.p50, p99: batches.result.p99 }, errors: batches.result.errors, errorStatuses: batches.result.statuses, connections: 16, collectorPeakRssMb: batches.peakRssMb },
      singleEvents: { requestsPerSecond: Math.round(singles.result.acked / singles.result.seconds), ackLatencyMs: { p50: singles.result.p50, p99: singles.result.p99 }, errors: singles.result.errors, errorStatuses: singles.result.statuses, connections: 64, collectorPeakRssMb: singles.peakRssMb },
      note: `${SECONDS} s per phase, a fresh collector each; every 2xx after fdatasync of the write-ahead log (group commit); commits to the lake every 10 s in the same process; the load generator runs in its own process on the same 2 cores`,
    };
    return { name: this.name, figures, target: this.target, met: figures.batchesOf100.eventsPerSecond >= 50_000 && figures.singleEvents.requestsPerSecond >= 5000 };
  },
};

/** Starts `gmp collect` in a fresh home, runs `work` against it, stops it; with its peak RSS (VmHWM). */
async function withCollector<T>(work: (url: string) => Promise<T>): Promise<{ result: T; peakRssMb: number | null }> {
  const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-collect-'));
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'gmp.js'), 'collect', '--port', '0'], { cwd: home, env: { ...process.env, GMP_HOME: home, GMP_LOG_LEVEL: 'warn' } });
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
    const result = await work(url);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { result, peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : null };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
}
