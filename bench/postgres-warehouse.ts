import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { SWAP_LOCK_TIMEOUT_MS } from '../warehouse/postgres/index.js';
import { startPostgresServer } from '../tests/helpers/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import { buildOnBothEngines, withClient } from './engine-builds.js';
import { progress } from './progress.js';
import { loadRawIntoPostgres, scanRawInDuckDb } from './raw-load.js';
import { measureSwapPause } from './swap-pause.js';
import { LAKE_DAYS, writeSyntheticLake } from './synthetic-lake.js';

const GAMES = Number(process.env.GMP_BENCH_PG_GAMES ?? 200_000);
const REBUILDS = Number(process.env.GMP_BENCH_PG_SWAPS ?? 40);
const LONG_READER_REBUILDS = 3;
const LONG_READER_HOLD_SECONDS = 2;
const REST_MS = 5_000;
const SWAPPED = 'dim_games';
const TARGET_PAUSE_MS = 100;
/** fsync on by default, as a production server runs; `off` for the tests' faster settings. */
const DURABLE = process.env.GMP_BENCH_PG_FSYNC !== 'off';
/**
 * Disk at the peak: the DuckDB warehouse and its readers' snapshot (~45 KB a game at 20,000 games;
 * deleted before the Postgres build, which takes ~22 KB a game) and the lake (~1.5 KB a game), plus
 * Postgres's WAL (max_wal_size 1 GB) and room to spare.
 */
const DISK_BYTES_PER_GAME = 60_000;
const DISK_BYTES_FIXED = 2e9;

/**
 * PostgreSQL against DuckDB as the warehouse, on one synthetic lake of GMP_BENCH_PG_GAMES games
 * (default 200,000; list items and details over 100 daily partitions, the sandbox's taxonomy):
 * 1. the raw load through COPY (gmp's loader and record reader) into a fresh database, rows/s and
 *    MB/s, beside DuckDB's raw views and one full scan (it reads the files in place: no load);
 * 2. every model built through `gmp materialize` on each engine, fresh warehouses (on Postgres
 *    the build includes the raw load), wall time, ratio and size on disk;
 * 3. the pause readers see when `marts.dim_games` is rebuilt and swapped: a tight `count(*)` loop
 *    during GMP_BENCH_PG_SWAPS rebuilds (40), then with a long reader holding the table.
 * The Postgres server is the tests' throwaway one with fsync on (GMP_BENCH_PG_FSYNC=off for the
 * tests' settings: fsync and full_page_writes off), defaults otherwise; its settings are reported.
 * GMP_BENCH_PG_KEEP=1 keeps the temp folder.
 */
export const postgresWarehouse: Benchmark = {
  name: 'postgres-warehouse',
  target:
    `a mart swap on Postgres adds <= ${TARGET_PAUSE_MS} ms to a BI reader's query and no reader fails; with a long reader holding the table, ` +
    `other readers wait at most about the swap's lock_timeout (${SWAP_LOCK_TIMEOUT_MS} ms) per attempt (${GAMES.toLocaleString('en')} games)`,
  async run() {
    const { bavail, bsize } = statfsSync(tmpdir());
    const free = bavail * bsize;
    const needed = GAMES * DISK_BYTES_PER_GAME + DISK_BYTES_FIXED;
    if (free < needed) {
      throw new Error(
        `needs ~${Math.ceil(needed / 1e9)} GB free in ${tmpdir()} for ${GAMES.toLocaleString('en')} games, ` +
          `${Math.floor(free / 1e9)} GB are: set GMP_BENCH_PG_GAMES lower (e.g. 20000) or TMPDIR elsewhere`,
      );
    }
    const loadBefore = loadavg();
    const keep = Boolean(process.env.GMP_BENCH_PG_KEEP);
    const server = await startPostgresServer({ durable: DURABLE });
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-pg-'));
    try {
      const lakeDir = path.join(home, 'lake');
      const lake = await writeSyntheticLake(home, lakeDir, GAMES);

      progress('postgres-warehouse: raw load into a fresh Postgres database (COPY)');
      const loadUrl = await server.createDatabase('bench_load');
      const postgresLoad = await loadRawIntoPostgres(loadUrl, lakeDir, path.join(home, 'load-scratch'));
      const rawBytes = await withClient(loadUrl, async (c) => Number((await c.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n));
      // Its disk goes back before the builds.
      await withClient(server.url, (c) => c.query('DROP DATABASE bench_load'));
      progress('postgres-warehouse: DuckDB raw views and a full scan');
      const duckRaw = await scanRawInDuckDb(path.join(home, 'raw-scan.duckdb'), lakeDir);
      rmSync(path.join(home, 'raw-scan.duckdb'), { force: true });

      const buildUrl = await server.createDatabase('bench_build');
      const builds = await buildOnBothEngines(home, lakeDir, buildUrl, keep);

      const swap = await measureSwapPause({
        url: buildUrl,
        relation: `marts.${SWAPPED}`,
        statements: builds.postgres.project.statements(SWAPPED, null),
        rebuilds: REBUILDS,
        restMs: REST_MS,
        longReaderRebuilds: LONG_READER_REBUILDS,
        longReaderHoldSeconds: LONG_READER_HOLD_SECONDS,
      });

      return {
        name: this.name,
        figures: {
          games: GAMES,
          partitions: LAKE_DAYS,
          lake: { files: 'gzip JSON lines', megabytes: Math.round(lake.bytes / 1e6), writeSeconds: round1(lake.writeSeconds) },
          postgresServer: await serverSettings(buildUrl),
          // Other processes on the machine skew every figure: the 1, 5 and 15 minute load averages (2 cores).
          loadAverage: { atStart: loadBefore.map(round1), atEnd: loadavg().map(round1) },
          rawLoad: {
            postgres: { ...postgresLoad, databaseMegabytes: Math.round(rawBytes / 1e6) },
            duckdb: duckRaw,
          },
          build: { ...builds.figures, postgresRawLoadSeconds: postgresLoad.seconds },
          swap,
        },
        target: this.target,
        // The long-reader figure is reported, not judged: by design a reader there waits the lock_timeout plus its own query.
        met: swap.addedWaitMs <= TARGET_PAUSE_MS && swap.readerErrors + swap.longReader.readerErrors === 0,
      };
    } finally {
      await server.stop();
      if (keep) progress(`postgres-warehouse: kept ${home}`);
      else rmSync(home, { recursive: true, force: true });
    }
  },
};

/** The settings that shape these figures, as the server reports them. */
function serverSettings(url: string): Promise<Record<string, string>> {
  const names = ['server_version', 'shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'fsync', 'full_page_writes', 'synchronous_commit', 'max_parallel_workers_per_gather'];
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>('SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name', [names]);
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
  });
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
