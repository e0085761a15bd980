import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { materialize, type Workspace } from '../app/index.js';
import { snapshotPathFor } from '../warehouse/index.js';
import { SWAP_LOCK_TIMEOUT_MS } from '../warehouse/postgres/index.js';
import { startPostgresServer } from '../tests/helpers/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';
import { loadRawIntoPostgres, scanRawInDuckDb } from './raw-load.js';
import { measureSwapPause } from './swap-pause.js';
import { benchWorkspace, LAKE_DAYS, LAKE_FIRST_DAY, LAKE_LAST_DAY, writeSyntheticLake } from './synthetic-lake.js';

const GAMES = Number(process.env.GMP_BENCH_PG_GAMES ?? 200_000);
const REBUILDS = Number(process.env.GMP_BENCH_PG_SWAPS ?? 10);
const LONG_READER_REBUILDS = 3;
const LONG_READER_HOLD_SECONDS = 2;
const REST_MS = 5_000;
const SWAPPED = 'dim_games';
/** Every model; the model tests (checks) are left out on both sides. */
const SELECT_MODELS = 'group:staging group:marts';
const TARGET_PAUSE_MS = 100;
/**
 * Disk per game at the peak (the Postgres build, with the load's database dropped): the lake, the
 * DuckDB warehouse and its readers' snapshot, Postgres's raw jsonb and staging tables. Measured at
 * 20,000 games, with room to spare.
 */
const DISK_BYTES_PER_GAME = 120_000;

/**
 * PostgreSQL against DuckDB as the warehouse, on one synthetic lake of GMP_BENCH_PG_GAMES games
 * (default 200,000; list items and details over 100 daily partitions, the sandbox's taxonomy):
 * 1. the raw load through COPY (gmp's loader and record reader) into a fresh database, rows/s and
 *    MB/s, beside DuckDB's raw views and one full scan (it reads the files in place: no load);
 * 2. every model built through `gmp materialize` on each engine, fresh warehouses (on Postgres
 *    the build includes the raw load), wall time, ratio and size on disk;
 * 3. the pause readers see when `marts.dim_games` is rebuilt and swapped: a tight `count(*)` loop
 *    during GMP_BENCH_PG_SWAPS rebuilds (10), then with a long reader holding the table.
 * The Postgres server is the tests' throwaway one (fsync and full_page_writes off, defaults
 * otherwise); its settings are reported. GMP_BENCH_PG_KEEP=1 keeps the temp folder.
 */
export const postgresWarehouse: Benchmark = {
  name: 'postgres-warehouse',
  target:
    `a mart swap on Postgres adds <= ${TARGET_PAUSE_MS} ms to a BI reader's query and no reader fails; with a long reader holding the table, ` +
    `other readers wait at most about the swap's lock_timeout (${SWAP_LOCK_TIMEOUT_MS} ms) per attempt (${GAMES.toLocaleString('en')} games)`,
  async run() {
    const { bavail, bsize } = statfsSync(tmpdir());
    const free = bavail * bsize;
    if (free < GAMES * DISK_BYTES_PER_GAME) {
      throw new Error(
        `needs ~${Math.ceil((GAMES * DISK_BYTES_PER_GAME) / 1e9)} GB free in ${tmpdir()} for ${GAMES.toLocaleString('en')} games, ` +
          `${Math.floor(free / 1e9)} GB are: set GMP_BENCH_PG_GAMES lower (e.g. 20000) or TMPDIR elsewhere`,
      );
    }
    const loadBefore = loadavg();
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-pg-'));
    const server = await startPostgresServer();
    try {
      const lakeDir = path.join(home, 'lake');
      const lake = await writeSyntheticLake(home, lakeDir, GAMES);

      progress('postgres-warehouse: raw load into a fresh Postgres database (COPY)');
      const loadUrl = await server.createDatabase('bench_load');
      const postgresLoad = await loadRawIntoPostgres(loadUrl, lakeDir, path.join(home, 'load-scratch'));
      const rawBytes = await databaseSize(loadUrl);
      await dropDatabase(server.url, 'bench_load');
      progress('postgres-warehouse: DuckDB raw views and a full scan');
      const duckRaw = await scanRawInDuckDb(path.join(home, 'raw-scan.duckdb'), lakeDir);
      rmSync(path.join(home, 'raw-scan.duckdb'), { force: true });

      progress('postgres-warehouse: every model through gmp materialize on DuckDB');
      const duckWs = benchWorkspace({ home, lakeDir, name: 'duckdb' });
      const duckMs = await build(duckWs);
      const duckFile = path.join(home, 'duckdb.duckdb');
      const duckSizes = { warehouse: statSync(duckFile).size, snapshot: existsSync(snapshotPathFor(duckFile)) ? statSync(snapshotPathFor(duckFile)).size : 0 };
      const duckRows = await duckDbRowCounts(duckFile, duckWs);
      if (!process.env.GMP_BENCH_PG_KEEP) dropFiles(home, 'duckdb');

      progress('postgres-warehouse: every model through gmp materialize on Postgres (raw load included)');
      const buildUrl = await server.createDatabase('bench_build');
      const pgWs = benchWorkspace({ home, lakeDir, name: 'postgres', warehouseUrl: buildUrl });
      const pgMs = await build(pgWs);
      const pgBytes = await databaseSize(buildUrl);
      const pgRows = await postgresRowCounts(buildUrl, pgWs);
      const mismatched = Object.keys(duckRows).filter((relation) => duckRows[relation] !== pgRows[relation]);

      const swap = await measureSwapPause({
        url: buildUrl,
        relation: `marts.${SWAPPED}`,
        statements: pgWs.project.statements(SWAPPED, null),
        rebuilds: REBUILDS,
        restMs: REST_MS,
        longReaderRebuilds: LONG_READER_REBUILDS,
        longReaderHoldSeconds: LONG_READER_HOLD_SECONDS,
      });
      const settings = await serverSettings(buildUrl);

      return {
        name: this.name,
        figures: {
          games: GAMES,
          partitions: LAKE_DAYS,
          lake: { files: 'gzip JSON lines', megabytes: Math.round(lake.bytes / 1e6), writeSeconds: round1(lake.writeSeconds) },
          postgresServer: settings,
          // Other processes on the machine skew every figure: the 1, 5 and 15 minute load averages (2 cores).
          loadAverage: { atStart: loadBefore.map(round1), atEnd: loadavg().map(round1) },
          rawLoad: {
            postgres: { ...postgresLoad, databaseMegabytes: Math.round(rawBytes / 1e6) },
            duckdb: duckRaw,
          },
          build: {
            models: pgWs.project.models.length,
            duckdbSeconds: round1(duckMs / 1000),
            postgresSeconds: round1(pgMs / 1000),
            postgresOverDuckdb: Math.round((pgMs / duckMs) * 100) / 100,
            postgresRawLoadSeconds: postgresLoad.seconds,
            note: 'wall time of `gmp materialize` of every model on a fresh warehouse; on Postgres it includes the raw load (COPY), on DuckDB the raw views and the readers\' snapshot',
            duckdbMegabytes: { warehouse: Math.round(duckSizes.warehouse / 1e6), readersSnapshot: Math.round(duckSizes.snapshot / 1e6) },
            postgresMegabytes: Math.round(pgBytes / 1e6),
            tablesCompared: Object.keys(duckRows).length,
            rowCountMismatches: mismatched.map((relation) => ({ relation, duckdb: duckRows[relation], postgres: pgRows[relation] })),
          },
          swap,
        },
        target: this.target,
        // The long-reader figure is reported, not judged: by design a reader there waits the lock_timeout plus its own query.
        met: swap.addedWaitMs <= TARGET_PAUSE_MS && swap.readerErrors + swap.longReader.readerErrors === 0,
      };
    } finally {
      await server.stop();
      if (process.env.GMP_BENCH_PG_KEEP) progress(`postgres-warehouse: kept ${home}`);
      else rmSync(home, { recursive: true, force: true });
    }
  },
};

/** `gmp materialize` of every model over the lake's days; throws with the failed steps. */
async function build(ws: Workspace): Promise<number> {
  const t0 = performance.now();
  const run = await materialize(ws, { select: SELECT_MODELS, from: LAKE_FIRST_DAY, to: LAKE_LAST_DAY });
  const ms = performance.now() - t0;
  const failed = run.steps.filter((s) => s.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`build on ${ws.config.warehouse.type} failed: ${failed.map((s) => `${s.step.asset}: ${s.error?.message}`).join('; ')}`);
  return ms;
}

function tableRelations(ws: Workspace): string[] {
  return ws.project.models.filter((m) => m.materialized !== 'view').map((m) => m.relation);
}

async function duckDbRowCounts(file: string, ws: Workspace): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows: Record<string, number> = {};
    for (const relation of tableRelations(ws)) {
      const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${relation}`);
      rows[relation] = Number(reader.getRowObjects()[0]!.n);
    }
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function postgresRowCounts(url: string, ws: Workspace): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const rows: Record<string, number> = {};
    for (const relation of tableRelations(ws)) rows[relation] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${relation}`)).rows[0]!.n);
    return rows;
  });
}

function databaseSize(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n));
}

function dropDatabase(url: string, name: string): Promise<void> {
  return withClient(url, async (client) => void (await client.query(`DROP DATABASE ${name}`)));
}

/** The settings that shape these figures, as the server reports them. */
function serverSettings(url: string): Promise<Record<string, string>> {
  const names = ['server_version', 'shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'fsync', 'full_page_writes', 'synchronous_commit', 'max_parallel_workers_per_gather'];
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>('SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name', [names]);
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
  });
}

/** Deletes a workspace's state folder and warehouse files: the DuckDB warehouse is gigabytes the Postgres build may need. */
function dropFiles(home: string, name: string): void {
  for (const entry of readdirSync(home)) {
    if (entry === name || entry.startsWith(`${name}.`)) rmSync(path.join(home, entry), { recursive: true, force: true });
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
