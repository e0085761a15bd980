import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Workspace } from '../../app/index.js';
import { RAW_ENTITIES } from '../../orchestration/index.js';
import { duckDbDialect } from '../../warehouse/index.js';
import type { Benchmark, BenchmarkResult } from '../benchmark.js';
import { buildWithGmp, SELECT_EVERY_MODEL } from '../build-with-gmp.js';
import { progress } from '../progress.js';
import { summarizeMs } from '../summarize-ms.js';
import { benchWorkspace, committedEntityFiles, LAKE_DAYS, LAKE_FIRST_DAY, LAKE_LAST_DAY, writeSyntheticLake } from '../synthetic-lake.js';
import { installPeer, type InstalledPeer } from './install-peer.js';
import { timeCommand } from './time-command.js';
import { writeDbtBuildProject } from './write-dbt-build-project.js';

const GAMES = Number(process.env.GMP_BENCH_PEERS_BUILD_GAMES ?? 20_000);
const ROUNDS = Number(process.env.GMP_BENCH_PEERS_BUILD_ROUNDS ?? 2);
const TESTS = process.env.GMP_BENCH_PEERS_BUILD_TESTS !== '0';
/** dbt's threads: as many as gmp's default step concurrency. */
const DBT_THREADS = 4;
const TARGET = 'gmp builds every model (and its data tests) faster than `dbt build` of the same SQL on the same lake (ratio dbt/gmp > 1), both warehouses holding the same data';

interface Sample {
  ms: number[];
  /** dbt only: `elapsed_time` of its run_results.json (the run, without start-up and parse). */
  runMs: number[];
}

/**
 * `dbt build` (dbt-core with dbt-duckdb, pinned in bench/peers/pins/dbt) against gmp on the same
 * synthetic RAWG lake (bench/synthetic-lake.ts; GMP_BENCH_PEERS_BUILD_GAMES, default 20,000 games
 * over 100 days): gmp materializes every shipped model with its checks in this process
 * (bench/build-with-gmp.ts, a fresh workspace and DuckDB file each round); dbt builds a project
 * generated from the same models (bench/peers/write-dbt-build-project.ts: gmp's compiled SQL, the
 * raw views' SELECTs as sources, the data tests as singular tests) as a fresh process with a fresh
 * target and DuckDB file. Rounds alternate (GMP_BENCH_PEERS_BUILD_ROUNDS, default 2);
 * GMP_BENCH_PEERS_BUILD_TESTS=0 leaves the tests out on both sides. After the first round every
 * built relation's row count and checksum (bench/peers/relation_checksums.py, one engine reading
 * both files) is compared. A dbt that cannot be installed or fails is reported as an error.
 * GMP_BENCH_PEERS_BUILD_KEEP=1 keeps the lake, the dbt project and the warehouses for a look afterwards.
 */
export const peersBuild: Benchmark = {
  name: 'peers-build',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    const loadStart = loadavg();
    const log = (line: string): void => progress(`peers-build: ${line}`);
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-peers-build-'));
    try {
      const lakeDir = path.join(home, 'lake');
      const lake = await writeSyntheticLake(home, lakeDir, GAMES);
      const project = benchWorkspace({ home, lakeDir, name: 'setup' });
      const select = TESTS ? `${SELECT_EVERY_MODEL} ${modelCheckKeys(project).join(' ')}` : SELECT_EVERY_MODEL;

      let dbt: { installed: InstalledPeer; dir: string; generated: ReturnType<typeof writeDbtBuildProject> } | { error: string };
      try {
        const installed = await installPeer('dbt', { log });
        const dir = path.join(home, 'dbt');
        const sourceSelects = new Map<string, string>();
        for (const entity of RAW_ENTITIES) {
          const view = duckDbDialect.rawTableView(entity.relation, (await committedEntityFiles(lakeDir, entity)).paths, entity.layout);
          const select = /^CREATE OR REPLACE VIEW \S+ AS (.*)$/s.exec(view)?.[1];
          if (select === undefined) throw new Error(`unexpected raw view SQL for ${entity.relation}`);
          sourceSelects.set(entity.relation, select);
        }
        const generated = writeDbtBuildProject(dir, project.project, { sourceSelects, warehouseFile: path.join(home, 'dbt.duckdb'), threads: DBT_THREADS, tests: TESTS });
        dbt = { installed, dir, generated };
      } catch (error) {
        dbt = { error: message(error) };
      }

      const gmp: Sample = { ms: [], runMs: [] };
      const peer: Sample = { ms: [], runMs: [] };
      let dbtError: string | undefined = 'error' in dbt ? dbt.error : undefined;
      let models = 0;
      let gmpChecks: Record<string, number> = {};
      let dbtStatuses: Record<string, number> = {};
      let comparison: Comparison | undefined;
      for (let round = 1; round <= ROUNDS; round++) {
        log(`round ${round}/${ROUNDS}: gmp materialize (${GAMES.toLocaleString('en')} games${TESTS ? ', with checks' : ''})`);
        const built = await buildWithGmp(benchWorkspace({ home, lakeDir, name: `gmp-${round}` }), { select, from: LAKE_FIRST_DAY, to: LAKE_LAST_DAY });
        gmp.ms.push(built.ms);
        models = built.run.digest.assets.length;
        gmpChecks = { executions: built.run.digest.checks.total, ...built.run.digest.checks.counts };
        if ('error' in dbt || dbtError !== undefined) {
          dropFiles(home, `gmp-${round}`);
          continue;
        }
        log(`round ${round}/${ROUNDS}: dbt ${dbt.installed.version} build`);
        dropFiles(home, 'dbt');
        rmSync(path.join(dbt.dir, 'target'), { recursive: true, force: true });
        try {
          const timed = await timeCommand(dbt.installed.bin.dbt!, ['build', '--project-dir', dbt.dir, '--profiles-dir', dbt.dir], { cwd: dbt.dir, env: dbtEnv() });
          peer.ms.push(timed.seconds * 1000);
          const results = runResults(dbt.dir);
          peer.runMs.push(results.elapsedSeconds * 1000);
          dbtStatuses = {};
          for (const r of results.results) dbtStatuses[r.status] = (dbtStatuses[r.status] ?? 0) + 1;
        } catch (error) {
          dbtError = `dbt build failed: ${message(error)}${failedNodes(dbt.dir)}`;
        }
        if (round === 1 && dbtError === undefined) {
          log('comparing the two warehouses, relation by relation');
          const relations = project.project.models.map((m) => m.relation);
          comparison = await compare(dbt.installed, relations, path.join(home, 'gmp-1.duckdb'), path.join(home, 'dbt.duckdb'));
        }
        if (!process.env.GMP_BENCH_PEERS_BUILD_KEEP) dropFiles(home, `gmp-${round}`);
      }

      const gmpSummary = seconds(gmp.ms);
      const ok = !('error' in dbt) && dbtError === undefined && peer.ms.length > 0;
      const dbtSeconds = ok ? seconds(peer.ms) : undefined;
      const dbtRunSeconds = ok ? seconds(peer.runMs) : undefined;
      const dbtFigures =
        'error' in dbt || dbtSeconds === undefined
          ? { error: dbtError }
          : { version: dbt.installed.version, engine: comparison?.engine, threads: DBT_THREADS, seconds: dbtSeconds, runSeconds: dbtRunSeconds, models: dbt.generated.models, tests: dbt.generated.tests, results: dbtStatuses };
      const ratio =
        dbtSeconds === undefined || dbtRunSeconds === undefined
          ? undefined
          : {
              dbtOverGmp: { min: round2(dbtSeconds.min / gmpSummary.min), median: round2(dbtSeconds.median / gmpSummary.median) },
              dbtRunOverGmp: { min: round2(dbtRunSeconds.min / gmpSummary.min), median: round2(dbtRunSeconds.median / gmpSummary.median) },
            };
      const gmpEngine = await nodeDuckDbVersion();
      const sameEngine = comparison === undefined || comparison.engine === gmpEngine;
      return {
        name: 'peers-build',
        figures: {
          games: GAMES,
          partitions: LAKE_DAYS,
          lake: { megabytes: Math.round(lake.bytes / 1e6), writeSeconds: round2(lake.writeSeconds) },
          models,
          tests: TESTS ? project.project.tests.length : 0,
          rounds: ROUNDS,
          gmp: { engine: gmpEngine, seconds: gmpSummary, checks: gmpChecks },
          dbt: dbtFigures,
          ratio,
          sameData: comparison,
          load: { start: loadStart.map(round2), end: loadavg().map(round2) },
          notes: [
            'gmp: one in-process `materialize` of every model (and, unless GMP_BENCH_PEERS_BUILD_TESTS=0, every model check) over the 100 days, from a fresh workspace: project load, plan, execution, state records and the readers\' snapshot',
            'dbt: `dbt build` spawn to exit (Python start-up and a full parse included: fresh target/); runSeconds is its run_results.json elapsed_time',
            `dbt models: gmp's compiled SQL for the whole range (partition null, full build); gmp's partitioned and incremental models are dbt tables (${JSON.stringify('generated' in dbt ? dbt.generated.materializations : {})}), ephemeral models inlined as in gmp`,
            'dbt sources: dbt-duckdb external_location holding the SELECT of gmp\'s raw view over the same committed lake files',
            'dbt tests: each gmp data test (generic and singular) as a singular dbt test selecting the same failing rows, same severity; gmp checks the whole range of a partitioned model with one query (each partition alone only when the range has failing rows) and records a result per partition, dbt runs each test once over the table',
            'sameData: row count and checksum of every built relation after round 1, both files read by dbt\'s DuckDB; TIMESTAMPTZ columns (current_timestamp) left out, doubles rounded to 6 decimals',
            sameEngine
              ? 'both sides run the same DuckDB release (gmp: @duckdb/node-api in process, dbt: the Python duckdb pinned to it)'
              : `DIFFERENT DuckDB releases (gmp ${gmpEngine}, dbt ${comparison?.engine}): the figures compare engines too; pin duckdb in bench/peers/pins/dbt/constraints.txt to gmp's`,
          ],
        },
        target: TARGET,
        met: ratio !== undefined && ratio.dbtOverGmp.median > 1 && comparison?.identical === true,
      };
    } finally {
      if (process.env.GMP_BENCH_PEERS_BUILD_KEEP) progress(`peers-build: kept ${home}`);
      else rmSync(home, { recursive: true, force: true });
    }
  },
};

interface Comparison {
  engine: string;
  relations: number;
  identical: boolean;
  /** Relations whose row count or checksum differ, with both sides' figures. */
  different: { relation: string; gmp: unknown; dbt: unknown }[];
  rows: Record<string, number>;
}

/** The checks of the shipped models (a model's data tests as graph nodes), ML checks left out. */
function modelCheckKeys(ws: Workspace): string[] {
  const models = new Set(ws.project.models.map((m) => `${m.schema}/${m.name}`));
  return ws.graph.order.filter((key) => {
    const def = ws.graph.get(key);
    return def.kind === 'check' && models.has(def.deps[0]!.key) && !def.tags.includes('ml');
  });
}

async function compare(dbt: InstalledPeer, relations: string[], gmpFile: string, dbtFile: string): Promise<Comparison> {
  const script = fileURLToPath(new URL('./relation_checksums.py', import.meta.url));
  const read = async (file: string) => {
    const { stdout } = await timeCommand(dbt.bin.python!, [script, file, JSON.stringify(relations)], { cwd: path.dirname(file), keepStdout: true });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { engine: string; relations: Record<string, { rows?: number; checksum?: string }> };
  };
  const gmp = await read(gmpFile);
  const dbtSide = await read(dbtFile);
  const different = relations
    .filter((r) => gmp.relations[r]?.rows === undefined || gmp.relations[r]?.rows !== dbtSide.relations[r]?.rows || gmp.relations[r]?.checksum !== dbtSide.relations[r]?.checksum)
    .map((relation) => ({ relation, gmp: gmp.relations[relation], dbt: dbtSide.relations[relation] }));
  return {
    engine: `duckdb v${gmp.engine}`,
    relations: relations.length,
    identical: different.length === 0,
    different,
    rows: Object.fromEntries(relations.map((r) => [r, gmp.relations[r]?.rows ?? -1])),
  };
}

function dbtEnv(): NodeJS.ProcessEnv {
  // No usage tracking nor version check: a peer must not wait on the network.
  return { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', DBT_VERSION_CHECK: 'false' };
}

function runResults(dir: string): { elapsedSeconds: number; results: { unique_id: string; status: string; message?: string | null }[] } {
  const json = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as {
    elapsed_time: number;
    results: { unique_id: string; status: string; message?: string | null }[];
  };
  return { elapsedSeconds: json.elapsed_time, results: json.results };
}

/** The nodes a failed `dbt build` reports as failed, from its run_results.json (empty when there is none). */
function failedNodes(dir: string): string {
  if (!existsSync(path.join(dir, 'target', 'run_results.json'))) return '';
  const failed = runResults(dir).results.filter((r) => r.status === 'error' || r.status === 'fail');
  return failed.length === 0 ? '' : ` (${failed.slice(0, 5).map((r) => `${r.unique_id}: ${r.status} ${(r.message ?? '').slice(0, 200)}`).join('; ')})`;
}

async function nodeDuckDbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT version() AS v');
    return `duckdb ${String(reader.getRowObjects()[0]!.v)}`;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Deletes a warehouse file and its WAL. */
function dropFiles(home: string, name: string): void {
  for (const entry of readdirSync(home)) {
    if (entry === `${name}.duckdb` || entry.startsWith(`${name}.duckdb.`)) rmSync(path.join(home, entry), { recursive: true, force: true });
  }
}

function seconds(ms: number[]): { runs: number[]; min: number; median: number } {
  const s = summarizeMs(ms);
  return { runs: ms.map((x) => round2(x / 1000)), min: round2(s.min / 1000), median: round2(s.median / 1000) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
