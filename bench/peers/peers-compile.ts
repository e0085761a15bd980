import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../core/index.js';
import type { Benchmark, BenchmarkResult } from '../benchmark.js';
import { ensureBuild } from '../ensure-build.js';
import { progress } from '../progress.js';
import { summarizeMs } from '../summarize-ms.js';
import { writeSyntheticProject } from '../write-synthetic-project.js';
import { installPeer } from './install-peer.js';
import { timeCommand } from './time-command.js';
import { writeDataformProject } from './write-dataform-project.js';
import { writeDbtProject } from './write-dbt-project.js';

const RUNS = 3;
const TARGET = 'gmp compile (cold and warm) faster than dbt parse/compile and Dataform compile on the same generated graph (every ratio peer/gmp > 1)';

interface Timing {
  runs: number;
  seconds: { min: number; median: number; max: number };
}

/**
 * gmp compile against its peers, side by side in one run on the same machine and the same
 * generated graph (bench/write-synthetic-project.ts; 1,000 models, and 10,000 with `--long`):
 * `gmp compile` as a command, cold (fresh GMP_HOME) and warm (partial parse); dbt-core with
 * dbt-duckdb, `dbt parse` and `dbt compile` on the same files in dbt's layout, cold
 * (`--no-partial-parse`) and warm (dbt's own partial parsing); Dataform's `dataform compile` on
 * the graph in SQLX. Peers are installed at pinned versions outside the repository on first use
 * (bench/peers/install-peer.ts); one that cannot be installed or fails is reported as an error.
 * Ratios are peer seconds / gmp seconds (medians).
 */
export const peersCompile: Benchmark = {
  name: 'peers-compile',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    ensureBuild();
    const sizes = process.argv.includes('--long') ? [1_000, 10_000] : [1_000];
    const log = (line: string): void => progress(`peers-compile: ${line}`);
    const installs = {
      dbt: await settle(() => installPeer('dbt', { log })),
      dataform: await settle(() => installPeer('dataform', { log })),
    };
    const results = [];
    for (const models of sizes) {
      const root = mkdtempSync(path.join(tmpdir(), 'gmp-bench-peers-'));
      try {
        results.push(await compareAt(models, root, installs, log));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    const ratios = results.flatMap((r) => Object.values(r.ratios)).filter((x): x is number => typeof x === 'number');
    return { name: 'peers-compile', figures: { runs: RUNS, unit: 'seconds, spawn to exit', sizes: results }, target: TARGET, met: ratios.length > 0 && ratios.every((x) => x > 1) };
  },
};

type Settled<T> = { ok: T } | { error: string };

async function settle<T>(f: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: await f() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function compareAt(
  models: number,
  root: string,
  installs: { dbt: Settled<{ version: string; bin: Readonly<Record<string, string>> }>; dataform: Settled<{ version: string; bin: Readonly<Record<string, string>> }> },
  log: (line: string) => void,
) {
  const gmpDir = path.join(root, 'gmp');
  mkdirSync(gmpDir);
  writeSyntheticProject(gmpDir, models);
  const bin = path.join(packageRoot(), 'bin', 'gmp.js');
  let home = 0;
  const gmpEnv = (h: string): NodeJS.ProcessEnv => ({ ...process.env, GMP_HOME: h });
  const compile = (h: string) => timeCommand(process.execPath, [bin, 'compile', '--project-dir', gmpDir], { cwd: root, env: gmpEnv(h) });
  log(`${models} models: gmp compile cold and warm`);
  const warmHome = path.join(root, 'home-warm');
  await compile(warmHome); // the first run writes the partial-parse cache
  const gmp = {
    cold: await timed(() => compile(path.join(root, `home-cold-${home++}`))),
    warm: await timed(() => compile(warmHome)),
  };

  const dbt = await peer(installs.dbt, async (installed) => {
    const dir = path.join(root, 'dbt');
    mkdirSync(dir);
    writeDbtProject(dir, models);
    // No usage tracking nor version check: a peer must not wait on the network.
    const env = { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', DBT_VERSION_CHECK: 'false' };
    const dbtRun = (...args: string[]) => timeCommand(installed.bin.dbt!, [...args, '--project-dir', dir, '--profiles-dir', dir], { cwd: dir, env });
    log(`${models} models: dbt ${installed.version} parse and compile, cold and warm`);
    const parseCold = await timed(() => dbtRun('parse', '--no-partial-parse'));
    await dbtRun('parse');
    const parseWarm = await timed(() => dbtRun('parse'));
    const compileCold = await timed(() => dbtRun('compile', '--no-partial-parse'));
    await dbtRun('compile');
    const compileWarm = await timed(() => dbtRun('compile'));
    return { version: installed.version, parse: { cold: parseCold, warm: parseWarm }, compile: { cold: compileCold, warm: compileWarm } };
  });

  const dataform = await peer(installs.dataform, async (installed) => {
    const dir = path.join(root, 'dataform');
    mkdirSync(dir);
    writeDataformProject(dir, models, installed.bin.core!);
    log(`${models} models: dataform ${installed.version} compile`);
    return { version: installed.version, compile: await timed(() => timeCommand(installed.bin.dataform!, ['compile', '--json', dir], { cwd: dir })) };
  });

  const m = (t: Timing): number => t.seconds.median;
  const ratio = (a: Timing | undefined, b: Timing): number | undefined => (a === undefined ? undefined : round2(m(a) / m(b)));
  const d = 'ok' in dbt ? dbt.ok : undefined;
  const f = 'ok' in dataform ? dataform.ok : undefined;
  return {
    models,
    gmp,
    dbt: d ?? dbt,
    dataform: f ?? dataform,
    ratios: {
      dbtParseCold_gmpCold: ratio(d?.parse.cold, gmp.cold),
      dbtParseWarm_gmpWarm: ratio(d?.parse.warm, gmp.warm),
      dbtCompileCold_gmpCold: ratio(d?.compile.cold, gmp.cold),
      dbtCompileWarm_gmpWarm: ratio(d?.compile.warm, gmp.warm),
      dataformCompile_gmpCold: ratio(f?.compile, gmp.cold),
    },
  };
}

async function peer<I, T>(install: Settled<I>, measure: (installed: I) => Promise<T>): Promise<Settled<T>> {
  if ('error' in install) return { error: install.error };
  return settle(() => measure(install.ok));
}

async function timed(once: () => Promise<{ seconds: number }>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push((await once()).seconds * 1000);
  const s = summarizeMs(samples);
  return { runs: RUNS, seconds: { min: round3(s.min / 1000), median: round3(s.median / 1000), max: round3(s.max / 1000) } };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
