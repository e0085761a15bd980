import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { startFixtureRawg, type FixtureRawg } from '../helpers/fixture-rawg.js';
import { writeTempProject } from '../helpers/temp-project.js';
import { count, testWorkspace } from '../helpers/workspace.js';

// Each recorded /games file is served as the games updated on its own day, so every real item goes
// through the item schemas, the lake and staging (tests/helpers/fixture-rawg.ts).
let rawg: FixtureRawg;
let ws: Workspace;
let files: string[];
let items: FixtureRawg['items'];

beforeAll(async () => {
  rawg = await startFixtureRawg();
  ({ files, items } = rawg);
  ws = testWorkspace({ baseUrl: rawg.baseUrl, key: 'fixture-key-123', now: '2024-06-01T00:00:00Z' });
  const run = await materialize(ws, { select: '*', from: rawg.firstDay, to: rawg.lastDay });
  expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
});

afterAll(async () => {
  await rawg.server.close();
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

/** The newest recorded version of each game: what the marts must show as its current state. */
function latestItems(): Map<number, { file: string; item: Record<string, unknown> }> {
  const latest = new Map<number, { file: string; item: Record<string, unknown> }>();
  for (const entry of items) {
    const id = Number(entry.item.id);
    const seen = latest.get(id);
    if (!seen || String(entry.item.updated ?? '') > String(seen.item.updated ?? '')) latest.set(id, entry);
  }
  return latest;
}

const ids = (rows: Record<string, unknown>[], column: string) => rows.map((r) => Number(r[column])).sort((a, b) => a - b);
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

describe('golden marts: named games appear exactly as the recorded source says', () => {
  it('It Takes Two (detail): attributes, genres, platforms, stores, developer and publisher', async () => {
    const [game] = await queryWarehouse(ws, 'select * from marts.dim_games where game_id = 455597');
    expect(game).toMatchObject({
      name: 'It Takes Two',
      slug: 'it-takes-two-2',
      released: '2021-03-26',
      tba: false,
      metacritic: 88,
      playtime: 10,
      rating: 4.53,
      ratings_count: 1117,
      esrb_rating: 'everyone-10-plus',
      updated_at: '2023-07-19 00:30:30',
    });
    const q = (sql: string) => queryWarehouse(ws, sql);
    expect(ids(await q('select genre_id from marts.bridge_game_genres where game_id = 455597'), 'genre_id')).toEqual([3, 4, 83]);
    expect(ids(await q('select platform_id from marts.bridge_game_platforms where game_id = 455597'), 'platform_id')).toEqual([1, 4, 7, 18, 186, 187]);
    expect(ids(await q('select store_id from marts.bridge_game_stores where game_id = 455597'), 'store_id')).toEqual([1, 2, 3, 6]);
    expect(await q(`select d.developer_id, d.name from marts.bridge_game_developers b join marts.dim_developers d using (developer_id) where b.game_id = 455597`)).toEqual([
      { developer_id: 13798, name: 'Hazelight' },
    ]);
    expect(await q(`select p.publisher_id, p.name from marts.bridge_game_publishers b join marts.dim_publishers p using (publisher_id) where b.game_id = 455597`)).toEqual([
      { publisher_id: 354, name: 'Electronic Arts' },
    ]);
  });

  it('platforms get their parent platform from the recorded parent-platforms list', async () => {
    const rows = await queryWarehouse(ws, 'select platform_id, parent_platform_name from marts.dim_platforms where platform_id in (4, 7, 187) order by 1');
    expect(rows).toEqual([
      { platform_id: 4, parent_platform_name: 'PC' },
      { platform_id: 7, parent_platform_name: 'Nintendo' },
      { platform_id: 187, parent_platform_name: 'PlayStation' },
    ]);
  });

  it('GTA V (detail): two developers and one publisher, and the publisher portfolio counts it', async () => {
    const q = (sql: string) => queryWarehouse(ws, sql);
    expect(await q(`select developer_id, d.name from marts.bridge_game_developers join marts.dim_developers d using (developer_id) where game_id = 3498 order by 1`)).toEqual([
      { developer_id: 10, name: 'Rockstar Games' },
      { developer_id: 3524, name: 'Rockstar North' },
    ]);
    expect(ids(await q('select publisher_id from marts.bridge_game_publishers where game_id = 3498'), 'publisher_id')).toEqual([2155]);
    expect(ids(await q('select store_id from marts.bridge_game_stores where game_id = 3498'), 'store_id')).toEqual([1, 2, 3, 7, 11]);
    const [rockstar] = await q('select * from marts.mart_publisher_portfolio where publisher_id = 2155');
    expect(rockstar).toMatchObject({ publisher_name: 'Rockstar Games', games: 1, released_games: 1, first_release: '2013-09-17', avg_metacritic: 92, developers: 2, top_genre: 'Action' });
  });

  it('every recorded detail: its developer and publisher links, and nothing else, in the bridges', async () => {
    for (const [id, detail] of rawg.details) {
      const named = (key: string) => sorted((detail[key] as { id: number }[]).map((x) => x.id));
      const devs = await queryWarehouse(ws, `select developer_id from marts.bridge_game_developers where game_id = ${id}`);
      const pubs = await queryWarehouse(ws, `select publisher_id from marts.bridge_game_publishers where game_id = ${id}`);
      expect({ id, developers: ids(devs, 'developer_id'), publishers: ids(pubs, 'publisher_id') }).toEqual({ id, developers: named('developers'), publishers: named('publishers') });
    }
    const linked = await queryWarehouse(ws, 'select distinct game_id from marts.bridge_game_developers');
    expect(ids(linked, 'game_id')).toEqual(sorted([...rawg.details.keys()]));
  });

  it('the search=doom page: each game as the page says (where it is the newest record), with its genres, platforms and stores', async () => {
    const file = 'games/list-search-jeshibu-doom-2022.json';
    const current = [...latestItems().values()].filter((e) => e.file === file).map((e) => e.item);
    expect(current.length).toBeGreaterThanOrEqual(15);
    for (const item of current) {
      const id = Number(item.id);
      const [row] = await queryWarehouse(ws, `select name, slug, released, metacritic, rating, playtime from marts.dim_games where game_id = ${id}`);
      expect(row).toEqual({ name: item.name, slug: item.slug, released: item.released ?? null, metacritic: item.metacritic ?? null, rating: item.rating, playtime: item.playtime });
      const linked = async (bridge: string, column: string) => ids(await queryWarehouse(ws, `select ${column} from marts.${bridge} where game_id = ${id}`), column);
      const nested = (key: string, inner?: string) =>
        sorted([...new Set(((item[key] ?? []) as Record<string, { id: number }>[]).map((x) => (inner ? x[inner]!.id : (x as unknown as { id: number }).id)))]);
      expect({ id, genres: await linked('bridge_game_genres', 'genre_id') }).toEqual({ id, genres: nested('genres') });
      expect({ id, platforms: await linked('bridge_game_platforms', 'platform_id') }).toEqual({ id, platforms: nested('platforms', 'platform') });
      expect({ id, stores: await linked('bridge_game_stores', 'store_id') }).toEqual({ id, stores: nested('stores', 'store') });
    }
  });
});

describe('a model reading the lake only through an ephemeral model', () => {
  it('finds its raw view brought up to date on a fresh warehouse', async () => {
    const models = writeTempProject({
      'staging/sources.yml': 'version: 2\nsources:\n  - name: rawg\n    tables:\n      - name: games\n',
      'staging/eph_games.sql': "{{ config(materialized='ephemeral') }}\nselect dt, value from {{ source('rawg', 'games') }}\n",
      'marts/game_records.sql': "select count(*) as records from {{ ref('eph_games') }}\n",
    });
    if (ws.config.lake.type !== 'local') throw new Error('the fixture workspace has a local lake');
    const fresh = testWorkspace({
      baseUrl: rawg.baseUrl,
      key: 'fixture-key-123',
      now: '2024-06-01T00:00:00Z',
      env: { GMP_MODELS_DIR: models, GMP_LAKE_URL: ws.config.lake.root },
    });
    const run = await materialize(fresh, { select: 'marts/game_records' });
    expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
    const [row] = await queryWarehouse(fresh, 'select records from marts.game_records');
    expect(Number(row!.records)).toBe(await count(ws, 'select * from raw.rawg_games'));
  });
});
