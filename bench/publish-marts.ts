import { copyFileSync, mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { materialize, showRun, type Workspace } from '../app/index.js';
import { createSharedWarehouse, snapshotPathFor, type ReadersPublication, type SharedWarehouse } from '../warehouse/index.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';
import { benchWorkspace, LAKE_FIRST_DAY as FIRST_DAY, LAKE_LAST_DAY as LAST_DAY, writeSyntheticLake } from './synthetic-lake.js';

const GAMES = Number(process.env.GMP_BENCH_PUBLISH_GAMES ?? 200_000);
/** Games built through gmp; the marts are grown from them to GAMES (game ids shifted) when fewer. */
const BUILT = Math.min(GAMES, Number(process.env.GMP_BENCH_PUBLISH_BUILD_GAMES ?? 200_000));
const PUBLISHES = Number(process.env.GMP_BENCH_PUBLISH_ROUNDS ?? 3);
/** Disk per game: the warehouse (~22 KB a game while staging keeps the raw JSON) and the lake (~1.5 KB). */
const DISK_BYTES_PER_GAME = 25_000;
/** The publication holds the marts only: a small share of the warehouse, and seconds at 1M games. */
const TARGET_SHARE = 0.1;
const TARGET_SECONDS = 15;

/**
 * What publishing the marts for readers costs against the warehouse it comes from: builds every
 * model over a synthetic lake of GMP_BENCH_PUBLISH_BUILD_GAMES games (default 200,000) through
 * `gmp materialize`, which publishes at its end; grows the marts to GMP_BENCH_PUBLISH_GAMES games
 * (default 200,000) when that is more, by copying every game's rows of each mart keyed by game_id
 * under new ids (a real build of 1,000,000 games takes ~25 GB of disk and tens of minutes on 2
 * cores: set both to build them); then publishes GMP_BENCH_PUBLISH_ROUNDS times (3). For
 * comparison it times what publishing used to be, a copy of the whole warehouse file, when the disk
 * has room for one.
 */
export const publishMarts: Benchmark = {
  name: 'publish-marts',
  target: `the readers' publication is <= ${TARGET_SHARE * 100}% of the warehouse's bytes and takes <= ${TARGET_SECONDS} s (${GAMES.toLocaleString('en')} games)`,
  async run() {
    if (free() < BUILT * DISK_BYTES_PER_GAME) {
      throw new Error(`needs ~${Math.ceil((BUILT * DISK_BYTES_PER_GAME) / 1e9)} GB free in ${tmpdir()}: set GMP_BENCH_PUBLISH_BUILD_GAMES lower or TMPDIR elsewhere`);
    }
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-publish-'));
    try {
      const lakeDir = path.join(home, 'lake');
      await writeSyntheticLake(home, lakeDir, BUILT);
      const ws = benchWorkspace({ home, lakeDir, name: 'gmp' });
      progress(`publish-marts: building every model of ${BUILT.toLocaleString('en')} games`);
      const run = await materialize(ws, { select: 'group:staging group:marts', from: FIRST_DAY, to: LAST_DAY });
      if (run.status !== 'succeeded') throw new Error(`the build ${run.status}: ${run.steps.find((s) => s.error)?.error?.message ?? ''}`);
      const inRun = await publicationEvent(ws, run.runId);

      const file = path.join(home, 'gmp.duckdb');
      const publications: ReadersPublication[] = [];
      const shared = createSharedWarehouse({ type: 'duckdb', path: file }, { waitMs: 0 });
      let warehouseBytes: number;
      try {
        if (GAMES > BUILT) await growMarts(shared, BUILT, Math.ceil(GAMES / BUILT));
        await shared.execute(['CHECKPOINT']);
        warehouseBytes = statSync(file).size;
        for (let i = 1; i <= PUBLISHES; i++) {
          progress(`publish-marts: publish ${i}/${PUBLISHES}`);
          publications.push((await shared.publishSnapshot({ runId: `bench-${i}` }))!);
        }
      } finally {
        await shared.close();
      }
      const ms = publications.map((p) => p.ms).sort((a, b) => a - b);
      const bytes = publications.at(-1)!.bytes;

      // What publishing was before: the whole file copied (a plain copy where the file system cannot clone).
      let wholeCopyMs: number | null = null;
      if (free() > warehouseBytes * 1.2) {
        progress('publish-marts: copying the whole warehouse, as publishing used to');
        const copy = path.join(home, 'copy.duckdb');
        const t0 = performance.now();
        copyFileSync(file, copy);
        wholeCopyMs = performance.now() - t0;
        rmSync(copy, { force: true });
      }
      const medianMs = ms[Math.floor(ms.length / 2)]!;
      return {
        name: this.name,
        figures: {
          games: GAMES,
          builtGames: BUILT,
          warehouseMegabytes: round1(warehouseBytes / 1e6),
          publicationMegabytes: round1(bytes / 1e6),
          publicationShareOfWarehouse: Math.round((bytes / warehouseBytes) * 1000) / 1000,
          relations: publications.at(-1)!.relations.length,
          publishSeconds: ms.map((m) => round1(m / 1000)),
          minPublishSeconds: round1(ms[0]! / 1000),
          medianPublishSeconds: round1(medianMs / 1000),
          publishInRun: inRun,
          wholeCopySeconds: wholeCopyMs === null ? null : round1(wholeCopyMs / 1000),
          published: snapshotPathFor(file) === publications.at(-1)!.path,
        },
        target: this.target,
        met: bytes <= warehouseBytes * TARGET_SHARE && medianMs <= TARGET_SECONDS * 1000,
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};

/** Every mart keyed by game_id holds its rows `times` times over, the copies under ids shifted by multiples of `games`. */
async function growMarts(w: SharedWarehouse, games: number, times: number): Promise<void> {
  progress(`publish-marts: growing the marts ${times}-fold`);
  const tables = await w.query(
    `SELECT c.table_name FROM duckdb_columns() c JOIN duckdb_tables() t USING (database_name, schema_name, table_name) ` +
      `WHERE c.schema_name = 'marts' AND c.column_name = 'game_id' ORDER BY 1`,
  );
  for (const { table_name: name } of tables) {
    await w.execute([
      `INSERT INTO marts.${String(name)} SELECT * EXCLUDE (gmp_copy) REPLACE (game_id + gmp_copy * ${games} AS game_id) ` +
        `FROM (SELECT * FROM marts.${String(name)}) AS base, range(1, ${times}) AS r(gmp_copy)`,
    ]);
  }
}

/** The publication figures the run recorded in its events. */
async function publicationEvent(ws: Workspace, runId: string): Promise<unknown> {
  const run = await showRun(ws, runId);
  return run.events.find((e) => e.data?.publication !== undefined)?.data?.publication ?? null;
}

function free(): number {
  const { bavail, bsize } = statfsSync(tmpdir());
  return bavail * bsize;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
