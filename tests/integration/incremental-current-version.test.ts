import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, openReader, type Workspace } from '../../app/index.js';
import { addDays } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import type { Row } from '../../warehouse/index.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

// The current-version tables (stg_rawg__games, stg_rawg__game_details) are incremental: a daily run
// merges only the rows it loaded. Whatever the order days arrive in (a new day, then an old day
// re-run), the result must be what a full build of the same lake gives, and a day's run must leave
// the games it did not see alone.
const KEY = 'incremental-key-7c1d';
const LAST_DAY = '2025-06-29';
const FIRST_DAY = addDays(LAST_DAY, -2);
const CURRENT = ['staging.stg_rawg__games', 'staging.stg_rawg__game_details'];
const DOWNSTREAM = ['marts.bridge_game_genres', 'marts.bridge_game_tags', 'marts.bridge_game_publishers', 'marts.dim_games', 'marts.dim_tags'];
let sandbox: Sandbox;
let home: string;
let daily: Workspace;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  home = tempDir();
  daily = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
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
  const result = await materialize(ws, { select: 'rawg/games+ rawg/game_details+', from: day, to: day });
  expect(result.status, JSON.stringify(result.steps.filter((s) => s.status === 'failed').slice(0, 2))).toBe('succeeded');
}

describe('incremental current versions', () => {
  it('merge day by day, in any order, into what a full build gives', async () => {
    await run(daily, FIRST_DAY);
    await run(daily, addDays(FIRST_DAY, 1));
    const loadedBefore = await rows(daily, 'staging.stg_rawg__games', "game_id, CAST(loaded_at AS VARCHAR) AS stamp");

    await run(daily, LAST_DAY);
    // The last day's run restamped only the games it loaded; every other game kept its row.
    const seenLastDay = new Set((await rows(daily, `staging.stg_rawg__games_daily WHERE dt = DATE '${LAST_DAY}'`, 'game_id')).map((r) => (JSON.parse(r) as number[])[0]));
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

    // An old day re-run after a newer one must not bring back older versions.
    await run(daily, FIRST_DAY);

    const full = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_WAREHOUSE_URL: `${home}/full.duckdb` } });
    const built = await materialize(full, { select: 'group:staging+', from: FIRST_DAY, to: LAST_DAY });
    expect(built.status).toBe('succeeded');
    for (const relation of [...CURRENT, ...DOWNSTREAM]) {
      const [a, b] = await Promise.all([rows(daily, relation), rows(full, relation)]);
      expect(a.length, relation).toBeGreaterThan(0);
      expect(a, relation).toEqual(b);
    }
  }, 300_000);
});
