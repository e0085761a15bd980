import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { testWorkspace } from '../helpers/workspace.js';

// The features mart against the same figures computed here, in TypeScript, from the dimensions:
// above all, a publisher's or developer's track record counts only games released before the
// game's own release day — never the game itself, a same-day release or a later one.
const KEY = 'ml-features-key-2b9e';
let sandbox: Sandbox;
let ws: Workspace;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  const run = await materialize(ws, { select: 'rawg/games+', exclude: 'marts/mart_events_hourly', from: '2025-06-27', to: '2025-06-29' });
  expect(run.status).toBe('succeeded');
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
});

interface Game {
  game_id: number;
  released: string | null;
  rating: number;
  ratings_count: number;
}
type Feature = Record<string, number | string | boolean | null> & { game_id: number };

const rows = async <T>(sql: string) => (await queryWarehouse(ws, sql)) as T[];

async function expectedRecord(bridge: string, key: string): Promise<Map<number, { prior: number; avg: number | null }>> {
  const games = new Map((await rows<Game>('select game_id, cast(released as varchar) as released, rating, ratings_count from marts.dim_games')).map((g) => [g.game_id, g]));
  const links = await rows<{ game_id: number; owner: number }>(`select game_id, ${key} as owner from marts.${bridge}`);
  const byOwner = new Map<number, Game[]>();
  for (const l of links) byOwner.set(l.owner, [...(byOwner.get(l.owner) ?? []), games.get(l.game_id)!]);
  const out = new Map<number, { prior: number; avg: number | null }>();
  const perGame = new Map<number, { prior: number; avgs: number[] }>();
  for (const l of links) {
    const game = games.get(l.game_id)!;
    if (game.released === null) continue;
    const before = byOwner.get(l.owner)!.filter((g) => g.released !== null && g.released < game.released!);
    const rated = before.filter((g) => g.ratings_count > 0 && g.rating > 0);
    const entry = perGame.get(l.game_id) ?? { prior: 0, avgs: [] };
    entry.prior = Math.max(entry.prior, before.length);
    if (rated.length > 0) entry.avgs.push(rated.reduce((s, g) => s + g.rating, 0) / rated.length);
    perGame.set(l.game_id, entry);
  }
  for (const [id, e] of perGame) out.set(id, { prior: e.prior, avg: e.avgs.length === 0 ? null : e.avgs.reduce((s, v) => s + v, 0) / e.avgs.length });
  return out;
}

describe('marts.ml_game_features', () => {
  it('has one row per game, with the targets as the dimensions give them', async () => {
    const features = await rows<Feature>('select * from marts.ml_game_features');
    const games = await rows<Game>('select game_id, cast(released as varchar) as released, rating, ratings_count from marts.dim_games');
    expect(features).toHaveLength(games.length);
    const byId = new Map(features.map((f) => [f.game_id, f]));
    for (const g of games) {
      const f = byId.get(g.game_id)!;
      expect(f.rating).toBe(g.ratings_count > 0 && g.rating > 0 ? g.rating : null);
      expect(f.popular).toBe(g.ratings_count > 100);
      expect(f.release_year).toBe(g.released === null ? null : Number(g.released.slice(0, 4)));
    }
    // Missing Metacritic stays missing: some games have none.
    expect(features.some((f) => f.metacritic === null)).toBe(true);
  });

  it("counts a publisher's and a developer's track record only from games released before each game", async () => {
    const features = new Map((await rows<Feature>('select * from marts.ml_game_features')).map((f) => [f.game_id, f]));
    for (const [bridge, key, column] of [
      ['bridge_game_publishers', 'publisher_id', 'publisher'],
      ['bridge_game_developers', 'developer_id', 'developer'],
    ] as const) {
      const expected = await expectedRecord(bridge, key);
      expect([...expected.values()].some((e) => e.prior > 0), `${column}: some game has a track record`).toBe(true);
      for (const [id, e] of expected) {
        const f = features.get(id)!;
        expect(f[`${column}_prior_games`], `${column} of ${id}`).toBe(e.prior);
        if (e.avg === null) expect(f[`${column}_prior_avg_rating`]).toBeNull();
        else expect(Number(f[`${column}_prior_avg_rating`])).toBeCloseTo(e.avg, 9);
      }
    }
  });
});
