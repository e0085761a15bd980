import type { SqlDriver } from './sql-driver.js';
import type { StateStore } from './state-store.js';

type FavoriteQueries = Pick<StateStore, 'addFavorite' | 'removeFavorite' | 'listFavorites'>;

/** Favorite games: one row per (user name, game id). */
export function favoriteQueries(db: SqlDriver): FavoriteQueries {
  return {
    async addFavorite(userName, gameId, at) {
      const added = await db.execute(`INSERT INTO favorites (user_name, game_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_name, game_id) DO NOTHING`, [userName, gameId, at]);
      return added > 0;
    },
    async removeFavorite(userName, gameId) {
      return (await db.execute(`DELETE FROM favorites WHERE user_name = ? AND game_id = ?`, [userName, gameId])) > 0;
    },
    async listFavorites(userName) {
      const rows = await db.query(`SELECT game_id, created_at FROM favorites WHERE user_name = ? ORDER BY created_at DESC, game_id`, [userName]);
      return rows.map((r) => ({ gameId: Number(r.game_id), at: String(r.created_at) }));
    },
  };
}
