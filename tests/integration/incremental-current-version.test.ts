import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, openReader, workspaceWithVars, type Workspace } from '../../app/index.js';
import path from 'node:path';
import { addDays } from '../../core/index.js';
import { LocalObjectStore, openPartitionWriter } from '../../lake/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import type { Row } from '../../warehouse/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

// The current-version tables (stg_rawg__games, stg_rawg__game_details) are incremental: a daily run
// merges only the rows it loaded. Whatever the order days arrive in (a new day, then an old day
// re-run), the result must be what a full build of the same lake gives, and a day's run must leave
// the games it did not see alone.
const KEY = 'incremental-key-7c1d';
const LAST_DAY = '2025-06-29';
const FIRST_DAY = addDays(LAST_DAY, -2);
/** A partition older than the rest whose records carry newer `updated` than any other day's. */
const LATE_DAY = addDays(FIRST_DAY, -1);
const CURRENT = ['staging.stg_rawg__games', 'staging.stg_rawg__game_details'];
const DOWNSTREAM = ['marts.bridge_game_genres', 'marts.bridge_game_tags', 'marts.bridge_game_publishers', 'marts.dim_games', 'marts.dim_tags'];
/** The compared relations and everything they read (ingestion included). */
const UPSTREAM_OF_COMPARED = ['+marts/dim_games', '+marts/dim_tags', '+marts/bridge_game_genres', '+marts/bridge_game_tags', '+marts/bridge_game_publishers'].join(' ');
let sandbox: Sandbox;
let postgres: PostgresServer;

beforeAll(async () => {
  [sandbox, postgres] = await Promise.all([startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 }), startPostgresServer()]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await postgres?.stop();
});

async function rows(ws: Workspace, relation: string, columns = '*'): Promise<string[]> {
  const reader = openReader(ws);
  try {
    const result = await reader.use((w) => w.queryTable!(`SELECT ${columns} FROM ${relation}`));
    const kept = result.columns.filter((c) => c !== 'loaded_at');
    return result.rows.map((r: Row) => JSON.stringify(kept.map((c) => (typeof r[c] === 'bigint' ? Number(r[c]) : r[c])))).sort();
  } finally {
    await reader.close();
  }
}

async function run(ws: Workspace, day: string): Promise<void> {
  const result = await materialize(ws, { select: UPSTREAM_OF_COMPARED, from: day, to: day });
  expect(result.status, JSON.stringify(result.steps.filter((s) => s.status === 'failed').slice(0, 2))).toBe('succeeded');
}

/** GMP_WAREHOUSE_URL of a fresh warehouse named `name` under `home`, on each engine. */
const ENGINES = {
  duckdb: async (home: string, name: string) => `${home}/${name}.duckdb`,
  postgres: async (_home: string, name: string) => postgres.createDatabase(`incremental_${name}`),
};

describe.each(Object.keys(ENGINES) as (keyof typeof ENGINES)[])('incremental current versions on %s', (engine) => {
  it('merge day by day, in any order, into what a full build gives', async () => {
    const home = tempDir();
    const warehouse = (name: string) => ENGINES[engine](home, name);
    // No look-back window: each run ranks exactly the rows loaded since the last one (the watermark path).
    const daily = workspaceWithVars(testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_WAREHOUSE_URL: await warehouse('daily') } }), {
      current_version_lookback_hours: 0,
    });
    await run(daily, FIRST_DAY);
    await run(daily, addDays(FIRST_DAY, 1));
    const loadedBefore = await rows(daily, 'staging.stg_rawg__games', "game_id, CAST(loaded_at AS VARCHAR) AS stamp");

    await run(daily, LAST_DAY);
    // The last day's run restamped only the games it loaded; every other game kept its row.
    const seenLastDay = new Set((await rows(daily, `staging.stg_rawg__games_daily WHERE dt = CAST('${LAST_DAY}' AS DATE)`, 'game_id')).map((r) => (JSON.parse(r) as number[])[0]));
    expect(seenLastDay.size).toBeGreaterThan(0);
    const loadedAfter = new Map((await rows(daily, 'staging.stg_rawg__games', "game_id, CAST(loaded_at AS VARCHAR) AS stamp")).map((r) => JSON.parse(r) as [number, string]));
    let untouched = 0;
    for (const r of loadedBefore) {
      const [id, stamp] = JSON.parse(r) as [number, string];
      if (seenLastDay.has(id)) continue;
      expect(loadedAfter.get(id), `game ${id}`).toBe(stamp);
      untouched++;
    }
    expect(untouched).toBeGreaterThan(0);

    // A partition written later holds newer versions of five games first seen on FIRST_DAY: the
    // current versions move to it (models only: the records are written here, not fetched).
    const firstDay = await rows(daily, `raw.rawg_games WHERE dt = CAST('${FIRST_DAY}' AS DATE)`, 'value');
    const changed = firstDay.slice(0, 5).map((r) => {
      const [value] = JSON.parse(r) as [unknown];
      const record = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
      return { ...record, updated: `${LAST_DAY}T23:00:00`, rating: 1.11, _dt: LATE_DAY };
    });
    const writer = await openPartitionWriter({ store: new LocalObjectStore(path.join(home, 'lake')), source: 'rawg', entity: 'games', dt: LATE_DAY, runId: 'late-updates' });
    for (const record of changed) await writer.write(record);
    await writer.commit({ pages: 1, requests: 0 });
    const late = await materialize(daily, { select: UPSTREAM_OF_COMPARED, exclude: 'kind:ingestion', from: LATE_DAY, to: LATE_DAY });
    expect(late.status).toBe('succeeded');
    const ratings = await rows(daily, `staging.stg_rawg__games WHERE rating = 1.11`, 'game_id');
    expect(ratings).toHaveLength(5);

    // An old day re-run after that must not bring back the older versions.
    await run(daily, FIRST_DAY);

    const full = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_WAREHOUSE_URL: await warehouse('full') } });
    // Models only: the same lake runs the daily warehouse read (fetching again would write new ones).
    const built = await materialize(full, { select: UPSTREAM_OF_COMPARED, exclude: 'kind:ingestion', from: LATE_DAY, to: LAST_DAY });
    expect(built.status).toBe('succeeded');
    for (const relation of [...CURRENT, ...DOWNSTREAM]) {
      const [a, b] = await Promise.all([rows(daily, relation), rows(full, relation)]);
      expect(a.length, relation).toBeGreaterThan(0);
      expect(a, relation).toEqual(b);
    }
  }, 300_000);
});
