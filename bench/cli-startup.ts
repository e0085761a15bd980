import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../core/index.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { ensureBuild } from './ensure-build.js';
import { progress } from './progress.js';
import { summarizeMs, type MsSummary } from './summarize-ms.js';

const RUNS = 15;
const WARMUPS = 1;
const COMMANDS = [
  { args: ['--help'], targetMedianMs: 150 },
  { args: ['assets'], targetMedianMs: 600 },
] as const;

/**
 * Wall time of whole `node bin/gmp.js …` processes (spawn to exit) in an empty temp cwd with a
 * minimal environment: one warm-up, then RUNS timed runs per command, taken in turn with a bare
 * `node -e 0` (the floor no command can go under) so a load change hits both alike.
 * (`/usr/bin/time -v` or hyperfine give the same whole-process figure from outside.)
 */
const TARGET = COMMANDS.map((c) => `${c.args.join(' ')} median ≤ ${c.targetMedianMs} ms`).join(', ');

export const cliStartup: Benchmark = {
  name: 'cli-startup',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    ensureBuild();
    const bin = path.join(packageRoot(), 'bin', 'gmp.js');
    const cwd = mkdtempSync(path.join(tmpdir(), 'gmp-bench-cli-'));
    const loadAtStart = loadavg()[0]!;
    try {
      const commands: (MsSummary & { command: string; nodeFloorMedianMs: number; targetMedianMs: number; met: boolean })[] = [];
      for (const { args, targetMedianMs } of COMMANDS) {
        const command = `node bin/gmp.js ${args.join(' ')}`;
        progress(`cli-startup: ${command} × ${RUNS} (after ${WARMUPS} warm-up), each beside node -e 0`);
        for (let i = 0; i < WARMUPS; i++) timeOnce([bin, ...args], cwd);
        const samples: number[] = [];
        const floor: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          samples.push(timeOnce([bin, ...args], cwd));
          floor.push(timeOnce(['-e', '0'], cwd));
        }
        const summary = summarizeMs(samples);
        commands.push({ command, ...summary, nodeFloorMedianMs: summarizeMs(floor).median, targetMedianMs, met: summary.median <= targetMedianMs });
      }
      return {
        name: 'cli-startup',
        figures: { runs: RUNS, warmups: WARMUPS, unit: 'ms', loadAverage: { atStart: round1(loadAtStart), atEnd: round1(loadavg()[0]!) }, commands },
        target: TARGET,
        met: commands.every((c) => c.met),
      };
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  },
};

function timeOnce(args: readonly string[], cwd: string): number {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - t0;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${String(result.status)}: ${String(result.stderr).slice(0, 500)}`);
  }
  return ms;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
