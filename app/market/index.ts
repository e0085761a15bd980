export { dataVersion, exportGamesCsv, getGame, listTaxonomy, marketKpis, searchGames } from './market.js';
export type { DataVersion, GameDetail, GamesPage, GamesQuery, GameSummary, MarketKpis, TaxonomyEntry } from './market.js';
export { GAME_ORDERINGS, TAXONOMY_NAMES } from './games-query.js';
export type { GameFilters, GameOrdering, Taxonomy } from './games-query.js';
export { marketStat, STAT_NAMES, STATS } from './stats.js';
export type { StatName, StatResult } from './stats.js';
export { gameProfile, sanitizeDescription } from './game-profile.js';
export type { GameProfile } from './game-profile.js';
export { addFavorite, listFavorites, removeFavorite } from './favorites.js';
