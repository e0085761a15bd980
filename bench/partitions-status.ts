import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, fixedClock, packageRoot } from '../core/index.js';
import { createSqliteStateStore } from '../orchestration/index.js';
import { formatPartitionRanges, openWorkspace, partitionStatus } from '../app/index.js';
import type { Benchmark } from './benchmark.js';
import { ensureBuild } from './ensure-build.js';
import { progress } from './progress.js';
import { summarizeMs } from './summarize-ms.js';

const PARTITIONS = 100_000;
const CLI_RUNS = 15;
const TARGET_MEDIAN_MS = 300;

/**
 * `gmp partitions rawg/games` with 100,000 recorded partitions (every 97th failed): whole commands,
 * spawn to exit (one warm-up, then CLI_RUNS, each beside a bare `node -e 0`, the floor), and the
 * in-process time of partitionStatus.
 */
export const partitionsStatus: Benchmark = {
  name: 'partitions-status',
  target: `\`gmp partitions\` on an asset with 100,000 recorded partitions: median ≤ ${TARGET_MEDIAN_MS} ms as a whole command`,
  async run() {
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-parts-'));
    try {
      const file = path.join(home, 'state.sqlite');
      const state = createSqliteStateStore(file);
      // 100,000 days back from 2026-01-01, every 97th failed.
      const first = addDays('2026-01-01', -PARTITIONS);
      progress(`partitions-status: recording ${PARTITIONS} partitions`);
      const t0 = performance.now();
      for (let i = 0; i < PARTITIONS; i++) {
        const at = '2026-01-01T00:00:00.000Z';
        await state.recordMaterialization({
          runId: 'bench', asset: 'rawg/games', partition: addDays(first, i), status: i % 97 === 0 ? 'failed' : 'succeeded',
          startedAt: at, endedAt: at, durationMs: 1, rows: 1, pages: 1, requests: 1, metadata: null, error: null,
        });
      }
      const seedSeconds = (performance.now() - t0) / 1000;
      await state.close();
      const env = { GMP_HOME: home, GMP_STATE_URL: file };
      const ws = openWorkspace({ env, cwd: home, clock: fixedClock('2026-01-02T00:00:00Z') });
      const timings: number[] = [];
      let ranges = 0;
      for (let i = 0; i < 6; i++) {
        const t1 = performance.now();
        const report = await partitionStatus(ws, 'rawg/games');
        formatPartitionRanges(report.ranges);
        timings.push(performance.now() - t1);
        ranges = report.ranges.length;
      }
      ensureBuild();
      const bin = path.join(packageRoot(), 'bin', 'gmp.js');
      const spawnEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env };
      const time = (args: readonly string[]): number => {
        const t2 = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: home, env: spawnEnv, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
        return performance.now() - t2;
      };
      const loadAtStart = loadavg()[0]!;
      progress(`partitions-status: gmp partitions rawg/games × ${CLI_RUNS} (after 1 warm-up), each beside node -e 0`);
      time([bin, 'partitions', 'rawg/games']);
      const cli: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < CLI_RUNS; i++) {
        cli.push(time([bin, 'partitions', 'rawg/games']));
        floor.push(time(['-e', '0']));
      }
      const command = summarizeMs(cli);
      return {
        name: this.name,
        figures: {
          recordedPartitions: PARTITIONS,
          ranges,
          seedSeconds: Math.round(seedSeconds * 10) / 10,
          // The first call loads the models' graph or not; the later ones show the read itself.
          inProcessMs: summarizeMs(timings.slice(1)),
          command: { ...command, runs: CLI_RUNS, nodeFloorMedianMs: summarizeMs(floor).median },
          loadAverage: { atStart: Math.round(loadAtStart * 10) / 10, atEnd: Math.round(loadavg()[0]! * 10) / 10 },
        },
        target: this.target,
        met: command.median <= TARGET_MEDIAN_MS,
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
