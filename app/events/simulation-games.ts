import { dateToKey } from '../../core/index.js';
import type { SimulatedGame } from '../../sandbox/index.js';
import { dataVersion, withReader } from '../market/index.js';
import type { Workspace } from '../workspace.js';

/** Where a simulation's games came from. */
export type GamesSource = 'warehouse' | 'sandbox';

const dayOf = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/**
 * The games players meet: the warehouse's marts.dim_games (with genre and platform slugs) once a
 * run has built it, so every simulated game_id is a game of the marts; else the RAWG sandbox's
 * synthetic catalogue (the one `gmp demo` ingests without a key).
 */
export async function simulationGames(ws: Workspace): Promise<{ games: SimulatedGame[]; source: GamesSource }> {
  if ((await dataVersion(ws)) !== null) {
    const games = await withReader(ws, async (w) => {
      const rows = await w.query('SELECT game_id, released, rating, added FROM marts.dim_games ORDER BY game_id');
      const slugs = async (bridge: string, dim: string, key: string): Promise<Map<number, string[]>> => {
        const out = new Map<number, string[]>();
        for (const r of await w.query(`SELECT b.game_id, d.slug FROM marts.${bridge} b JOIN marts.${dim} d ON d.${key} = b.${key} WHERE d.slug IS NOT NULL ORDER BY 1, 2`)) {
          const id = Number(r.game_id);
          out.set(id, [...(out.get(id) ?? []), String(r.slug)]);
        }
        return out;
      };
      const genres = await slugs('bridge_game_genres', 'dim_genres', 'genre_id');
      const platforms = await slugs('bridge_game_platforms', 'dim_platforms', 'platform_id');
      return rows.map((r): SimulatedGame => {
        const id = Number(r.game_id);
        return { id, genres: genres.get(id) ?? [], platforms: platforms.get(id) ?? [], released: dayOf(r.released), rating: Number(r.rating ?? 0), popularity: Number(r.added ?? 0) };
      });
    });
    if (games.length > 0) return { games, source: 'warehouse' };
  }
  return { games: await sandboxGames(dateToKey(ws.clock.now())), source: 'sandbox' };
}

/** The sandbox catalogue's games as of `asOf` (its defaults: seed 42, 20,000 games), or just `ids` of them. */
export async function sandboxGames(asOf: string, ids?: readonly number[]): Promise<SimulatedGame[]> {
  const { Catalogue, gamesFromCatalogue } = await import('../../sandbox/index.js');
  return gamesFromCatalogue(new Catalogue({ asOf }), ids);
}
