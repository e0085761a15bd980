import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../core/index.js';
import { materialize, queryWarehouse, type Workspace } from '../../orchestration/index.js';
import { fixtureFiles, gameFixtureItems } from '../helpers/fixtures.js';
import { sendJson, startTestServer, type TestServer } from '../helpers/test-server.js';
import { count, testWorkspace } from '../helpers/workspace.js';

// Each recorded /games file (list page, bare item or detail) is served as the games updated on its
// own day, so every real item goes through the item schemas, the lake and staging.
const FIRST_DAY = '2024-01-01';
const files = fixtureFiles('games');
const items = gameFixtureItems();
const dayOf = (file: string) => addDays(FIRST_DAY, files.indexOf(file));

let server: TestServer;
let ws: Workspace;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.endsWith('/games')) return sendJson(res, 200, { count: 0, next: null, previous: null, results: [] });
    const day = (url.searchParams.get('updated') ?? '').split(',')[0];
    const page = Number(url.searchParams.get('page') ?? 1);
    const results = items.filter((i) => dayOf(i.file) === day).map((i) => i.item);
    if (page > 1) return sendJson(res, 404, { detail: 'Invalid page.' });
    sendJson(res, 200, { count: results.length, next: null, previous: null, results });
  });
  ws = testWorkspace({ baseUrl: `${server.url}/api`, key: 'fixture-key-123', now: '2024-06-01T00:00:00Z' });
  const run = await materialize(ws, {
    select: '*',
    from: FIRST_DAY,
    to: addDays(FIRST_DAY, files.length - 1),
  });
  expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
});

afterAll(async () => {
  await server.close();
});

describe('every recorded /games item through the item schemas and staging', () => {
  it('keeps every item of every file in the lake (deduped only within a page walk)', async () => {
    const expected = files.reduce((n, f) => n + new Set(items.filter((i) => i.file === f).map((i) => i.item.id)).size, 0);
    expect(await count(ws, 'select * from raw.rawg_games')).toBe(expected);
    expect(await count(ws, 'select * from staging.stg_rawg__games_daily')).toBe(expected);
  });

  it('gives one staging row per distinct game id, and one dim_games row each', async () => {
    const distinct = new Set(items.map((i) => i.item.id)).size;
    expect(await count(ws, 'select * from staging.stg_rawg__games')).toBe(distinct);
    expect(await count(ws, 'select distinct game_id from staging.stg_rawg__games')).toBe(distinct);
    expect(await count(ws, 'select * from marts.dim_games')).toBe(distinct);
  });

  it('types the attributes of a known game as the source says (GTA V detail, latest update wins)', async () => {
    const [gta] = await queryWarehouse(ws, 'select * from marts.dim_games where game_id = 3498');
    expect(gta).toMatchObject({
      name: 'Grand Theft Auto V',
      slug: 'grand-theft-auto-v',
      released: '2013-09-17',
      metacritic: 92,
      rating: 4.47,
      ratings_count: 6847,
      playtime: 74,
      esrb_rating: 'mature',
      updated_at: '2024-08-10 17:43:58',
    });
    const genres = await queryWarehouse(ws, 'select genre_id from marts.bridge_game_genres where game_id = 3498 order by 1');
    expect(genres).toEqual([{ genre_id: 4 }]);
  });

  it('builds one snapshot fact row per game per day', async () => {
    const daily = await count(ws, 'select * from staging.stg_rawg__games_daily');
    expect(await count(ws, 'select * from marts.fct_game_daily_snapshot')).toBe(daily);
    expect(await count(ws, 'select distinct dt, game_id from marts.fct_game_daily_snapshot')).toBe(daily);
  });
});
