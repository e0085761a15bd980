import path from 'node:path';
import { addDays, fixedClock } from '../core/index.js';
import { startSandbox } from '../sandbox/index.js';
import { Catalogue } from '../sandbox/catalogue.js';
import { GameViews } from '../sandbox/game-views.js';
import { listCommittedPartitions, listReadablePartitions, LocalObjectStore, openPartitionWriter } from '../lake/index.js';
import type { RawEntity } from '../orchestration/index.js';
import { materialize, openWorkspace, type Workspace } from '../app/index.js';
import type { LakeFileRef } from '../warehouse/index.js';
import { progress } from './progress.js';

/** Games are spread over this many daily partitions (10,000 a day at 1M games). */
export const LAKE_DAYS = 100;
export const LAKE_FIRST_DAY = '2025-01-01';
export const LAKE_LAST_DAY = addDays(LAKE_FIRST_DAY, LAKE_DAYS - 1);
const KEY = 'bench-build-key';
/** An address nothing listens on: a benchmark workspace must never call an API after the lake is written. */
const NO_API = 'http://127.0.0.1:9/api';

export interface BenchWorkspaceOptions {
  /** The benchmark's temp folder: workspaces keep their state in `<home>/<name>`. */
  home: string;
  lakeDir: string;
  name: string;
  /** GMP_WAREHOUSE_URL; default the DuckDB file `<home>/<name>.duckdb`. */
  warehouseUrl?: string;
  baseUrl?: string;
}

/** A workspace over the synthetic lake, its clock two days after the lake's last partition. */
export function benchWorkspace(options: BenchWorkspaceOptions): Workspace {
  const { home, lakeDir, name } = options;
  return openWorkspace({
    cwd: home,
    clock: fixedClock(`${addDays(LAKE_LAST_DAY, 2)}T06:00:00Z`),
    logTo: 'file',
    env: {
      GMP_HOME: path.join(home, name),
      GMP_LAKE_URL: lakeDir,
      GMP_WAREHOUSE_URL: options.warehouseUrl ?? path.join(home, `${name}.duckdb`),
      GMP_LOG_LEVEL: 'warn',
      RAWG_API_KEY: KEY,
      RAWG_BASE_URL: options.baseUrl ?? NO_API,
      RAWG_REQUESTS_PER_SECOND: '1000',
    },
  });
}

export interface SyntheticLake {
  /** Bytes of the committed rawg/games and rawg/game_details files (gzip JSON lines). */
  bytes: number;
  writeSeconds: number;
}

/**
 * Writes a lake of `games` synthetic games into `lakeDir`: taxonomy snapshots ingested by gmp from
 * the sandbox (through a workspace in `<home>/setup`), then rawg/games (full list items) and
 * rawg/game_details (details) over LAKE_DAYS daily partitions, committed as gmp's lake writer does.
 */
export async function writeSyntheticLake(home: string, lakeDir: string, games: number): Promise<SyntheticLake> {
  const sandbox = await startSandbox({ asOf: LAKE_LAST_DAY, apiKey: KEY, games: 1000 });
  try {
    progress('synthetic lake: taxonomy snapshots from the sandbox');
    const setup = benchWorkspace({ home, lakeDir, name: 'setup', baseUrl: sandbox.url });
    const snapshots = await materialize(setup, { select: 'tag:snapshot' });
    if (snapshots.status !== 'succeeded') throw new Error(`snapshot ingestion ${snapshots.status}`);
  } finally {
    await sandbox.close();
  }
  const t0 = performance.now();
  const bytes = await writeSyntheticGames(lakeDir, games);
  return { bytes, writeSeconds: (performance.now() - t0) / 1000 };
}

async function writeSyntheticGames(lakeDir: string, games: number): Promise<number> {
  const store = new LocalObjectStore(lakeDir);
  const catalogue = new Catalogue({ games, asOf: LAKE_LAST_DAY });
  const views = new GameViews(catalogue);
  const perDay = Math.ceil(games / LAKE_DAYS);
  let bytes = 0;
  for (let d = 0; d < LAKE_DAYS; d++) {
    const dt = addDays(LAKE_FIRST_DAY, d);
    if (d % 10 === 0) progress(`synthetic lake: writing ${games.toLocaleString('en')} games, day ${d + 1}/${LAKE_DAYS}`);
    for (const [entity, view] of [['games', (i: number) => views.fullListItem(i)], ['game_details', (i: number) => views.detail(i)]] as const) {
      const runId = `bench-${entity}`;
      const writer = await openPartitionWriter({ store, source: 'rawg', entity, dt, runId });
      const end = Math.min(games, (d + 1) * perDay);
      for (let i = d * perDay; i < end; i++) {
        await writer.write({ ...view(i), _dt: dt, _run_id: runId, _fetched_at: `${dt}T12:00:00.000Z`, _page: null });
      }
      const manifest = await writer.commit({ pages: 0, requests: 0 });
      bytes += manifest.files.reduce((n, f) => n + f.bytes, 0);
    }
  }
  return bytes;
}

/**
 * Commits partition `dt` of rawg/games and rawg/game_details holding `count` games of the catalogue
 * of `games` (spread over it) changed on `dt`: a newer `updated`, one more `added`, a nudged rating.
 * What one day of RAWG updates looks like to the daily run.
 */
export async function writeUpdatedDay(lakeDir: string, games: number, count: number, dt: string): Promise<void> {
  const store = new LocalObjectStore(lakeDir);
  const views = new GameViews(new Catalogue({ games, asOf: LAKE_LAST_DAY }));
  const stride = Math.max(1, Math.floor(games / count));
  for (const [entity, view] of [['games', (i: number) => views.fullListItem(i)], ['game_details', (i: number) => views.detail(i)]] as const) {
    const runId = `bench-${entity}-update`;
    const writer = await openPartitionWriter({ store, source: 'rawg', entity, dt, runId });
    for (let n = 0; n < count; n++) {
      const item = view((n * stride) % games);
      const rating = typeof item.rating === 'number' ? Math.min(5, Math.round((item.rating + 0.01) * 100) / 100) : item.rating;
      const added = typeof item.added === 'number' ? item.added + 1 : item.added;
      await writer.write({ ...item, rating, added, updated: `${dt}T10:00:00`, _dt: dt, _run_id: runId, _fetched_at: `${dt}T12:00:00.000Z`, _page: null });
    }
    await writer.commit({ pages: 0, requests: 0 });
  }
}

export interface EntityFiles {
  /** The committed files as the warehouse's loader takes them. */
  refs: LakeFileRef[];
  /** Their paths on disk, as DuckDB's raw views name them. */
  paths: string[];
  bytes: number;
}

/** The files gmp would expose for `entity`: the readable partitions of an hourly entity, else the committed ones. */
export async function committedEntityFiles(lakeDir: string, entity: RawEntity): Promise<EntityFiles> {
  const store = new LocalObjectStore(lakeDir);
  const manifests = await (entity.layout?.hourly ? listReadablePartitions : listCommittedPartitions)(store, entity.source, entity.entity);
  const files = manifests.flatMap((m) => m.files.map((f) => ({ ref: { key: f.key, dt: m.dt, runId: m.run_id }, bytes: f.bytes })));
  return {
    refs: files.map((f) => f.ref),
    paths: files.map((f) => path.join(lakeDir, f.ref.key)),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
  };
}
