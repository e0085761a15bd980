import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../../core/index.js';
import type { Benchmark, BenchmarkResult } from '../benchmark.js';
import { ensureBuild } from '../ensure-build.js';
import { progress } from '../progress.js';
import { installPeer } from './install-peer.js';
import { timeCommand } from './time-command.js';

const RUNS = 3;
const TARGET = 'gmp executes the no-op daily-partitioned chain faster than Dagster materialize (ratio Dagster/gmp > 1)';

/**
 * The child for gmp: bench/executor-overhead.ts's graph (a → b → c, no-op daily-partitioned
 * assets), its `partitions` first days executed by the real executor with a SQLite state store on
 * disk, from the compiled build (what `gmp materialize` runs). argv[1]: partitions, argv[2]: a folder.
 */
const GMP_CHILD = (root: string): string => `
const t0 = performance.now();
const core = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'core', 'index.js')).href)});
const orch = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'orchestration', 'index.js')).href)});
const partitions = Number(process.argv[1]);
const noop = (key, deps) => ({ key, description: '', deps: deps.map((d) => ({ key: d })), partitions: core.dailyPartitions('2015-01-01'),
  group: 'bench', kind: 'table', tags: [], materialize: async () => ({ rows: 0 }) });
const graph = orch.buildAssetGraph([noop('b/a', []), noop('b/b', ['b/a']), noop('b/c', ['b/b'])]);
const clock = core.fixedClock('2025-01-01T00:00:00Z');
const last = new Date(Date.UTC(2015, 0, 1) + (partitions - 1) * 86400000).toISOString().slice(0, 10);
const keys = core.partitionKeysBetween('2015-01-01', last);
const state = orch.createSqliteStateStore(process.argv[2] + '/state.sqlite');
const imported = performance.now();
const steps = orch.planRun(graph, { assets: graph.order, partitions: keys }, clock);
await state.createRun({ runId: 'bench', kind: 'bench', selection: '*', partitions: String(keys.length), startedAt: clock.now().toISOString() });
const t1 = performance.now();
const results = await orch.executeRun({ runId: 'bench', steps, assets: graph.assets, resources: null, state, clock, logger: core.silentLogger, concurrency: 4, signal: new AbortController().signal });
const runSeconds = (performance.now() - t1) / 1000;
await state.close();
if (results.some((r) => r.status !== 'succeeded')) throw new Error('a step failed');
process.stdout.write(JSON.stringify({ partitions: keys.length, steps: steps.length, importSeconds: (imported - t0) / 1000, runSeconds }) + '\\n');
`;

interface ChildFigures {
  partitions: number;
  steps: number;
  importSeconds: number;
  runSeconds: number;
}

/**
 * gmp's executor against Dagster's on the same no-op graph, side by side: bench/executor-overhead.ts's
 * chain of three daily-partitioned no-op assets over the first 10 days (100 with `--long`), each
 * tool as a fresh process with SQLite state on disk — gmp's executor (one run over every
 * partition, as `gmp materialize` runs it) and Dagster's `materialize` (one run per partition, as
 * its backfills launch them; bench/peers/dagster_noop.py). Dagster is installed at a pinned
 * version outside the repository on first use; when it cannot be, it is reported as an error.
 */
export const peersMaterialize: Benchmark = {
  name: 'peers-materialize',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    ensureBuild();
    const partitions = process.argv.includes('--long') ? 100 : 10;
    const log = (line: string): void => progress(`peers-materialize: ${line}`);
    const root = mkdtempSync(path.join(tmpdir(), 'gmp-bench-peers-mat-'));
    try {
      log(`gmp: ${partitions} partitions × 3 no-op assets, ${RUNS} runs`);
      const gmp = await measure(RUNS, root, (dir) => timeCommand(process.execPath, ['--input-type=module', '-e', GMP_CHILD(packageRoot()), String(partitions), dir], { cwd: dir, keepStdout: true }));
      let dagster: Awaited<ReturnType<typeof measure>> | { error: string };
      let version: string | undefined;
      try {
        const installed = await installPeer('dagster', { log });
        version = installed.version;
        log(`dagster ${installed.version}: ${partitions} partitions × 3 no-op assets, ${RUNS} runs`);
        const script = fileURLToPath(new URL('./dagster_noop.py', import.meta.url));
        dagster = await measure(RUNS, root, (dir) => timeCommand(installed.bin.python!, [script, String(partitions), dir], { cwd: dir, keepStdout: true }));
      } catch (error) {
        dagster = { error: error instanceof Error ? error.message : String(error) };
      }
      const ratios =
        'error' in dagster
          ? undefined
          : { processSeconds: round2(dagster.processSeconds.median / gmp.processSeconds.median), msPerStep: round2(dagster.msPerStep.median / gmp.msPerStep.median) };
      return {
        name: 'peers-materialize',
        figures: { partitions, assets: 3, steps: 3 * partitions, gmp, dagster: version ? { version, ...dagster } : dagster, ratios },
        target: TARGET,
        met: ratios !== undefined && ratios.processSeconds > 1,
      };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** `runs` fresh processes, each in a fresh folder: wall seconds, and the in-process run time per (asset, partition) step. */
async function measure(runs: number, root: string, once: (dir: string) => Promise<{ seconds: number; stdout: string }>) {
  const wall: number[] = [];
  const perStep: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(root, 'run-'));
    const { seconds, stdout } = await once(dir);
    const figures = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
    wall.push(seconds);
    perStep.push((figures.runSeconds * 1000) / figures.steps);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const summary = (xs: number[], r: (x: number) => number) => ({ min: r(sorted(xs)[0]!), median: r(sorted(xs)[Math.floor(xs.length / 2)]!), max: r(sorted(xs)[xs.length - 1]!) });
  return { runs, processSeconds: summary(wall, round3), msPerStep: summary(perStep, round3) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
