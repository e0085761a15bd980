import { UsageError } from '../../core/index.js';
import type { Workspace } from '../workspace.js';
import type { Row } from '../../warehouse/index.js';
import { gameFilterSql, type GameFilters } from './games-query.js';
import { dataVersion, withReader, type DataVersion } from './market.js';

/** Rated games only: RAWG's 0 means "no rating yet", not a bad one. */
const RATED = 'g.rating > 0';
const YEAR = 'CAST(extract(year FROM g.released) AS INTEGER)';

/** The aggregates under /stats/: each one SQL over the filtered games (`filtered g`), every value bound. */
export const STATS = {
  'games-per-year': {
    description: 'Games released each year',
    sql: () => `SELECT ${YEAR} AS year, count(*) AS games FROM filtered g WHERE g.released IS NOT NULL GROUP BY 1 ORDER BY 1`,
  },
  'rating-by-genre': {
    description: 'Average rating of the rated games of each genre (2 decimals), the most games first',
    sql: (limit: number) => `SELECT d.slug, d.name, count(*) AS games, round(cast(avg(g.rating) as decimal(18, 6)), 2) AS average_rating
      FROM filtered g JOIN marts.bridge_game_genres b ON b.game_id = g.game_id JOIN marts.dim_genres d ON d.genre_id = b.genre_id
      WHERE ${RATED} GROUP BY d.slug, d.name ORDER BY games DESC, d.name LIMIT ${limit}`,
  },
  'rating-distribution': {
    description: 'Rated games per half-star bucket (a rating of 3.7 counts in 3.5)',
    sql: () => `SELECT floor(g.rating * 2) / 2 AS bucket, count(*) AS games FROM filtered g WHERE ${RATED} GROUP BY 1 ORDER BY 1`,
  },
  'top-genres': {
    description: 'Genres with the most games',
    sql: (limit: number) => `SELECT d.slug, d.name, count(*) AS games FROM filtered g JOIN marts.bridge_game_genres b ON b.game_id = g.game_id
      JOIN marts.dim_genres d ON d.genre_id = b.genre_id GROUP BY d.slug, d.name ORDER BY games DESC, d.name LIMIT ${limit}`,
  },
  'top-platforms': {
    description: 'Platforms with the most games',
    sql: (limit: number) => `SELECT d.slug, d.name, count(*) AS games FROM filtered g JOIN marts.bridge_game_platforms b ON b.game_id = g.game_id
      JOIN marts.dim_platforms d ON d.platform_id = b.platform_id GROUP BY d.slug, d.name ORDER BY games DESC, d.name LIMIT ${limit}`,
  },
  'platform-share-by-year': {
    description: "Each parent platform's share of the year's games (a game on two counts for both)",
    sql: () => `SELECT year, slug, name, games, round(cast(games * 1.0 / sum(games) OVER (PARTITION BY year) as decimal(18, 6)), 4) AS share FROM (
        SELECT ${YEAR} AS year, d.parent_platform_slug AS slug, max(d.parent_platform_name) AS name, count(DISTINCT g.game_id) AS games
        FROM filtered g JOIN marts.bridge_game_platforms b ON b.game_id = g.game_id JOIN marts.dim_platforms d ON d.platform_id = b.platform_id
        WHERE g.released IS NOT NULL AND d.parent_platform_slug IS NOT NULL GROUP BY 1, 2) per_year ORDER BY year, games DESC, slug`,
  },
  'publisher-portfolio': {
    description: 'Publishers with the most games: their average rating and Metacritic, first and latest release',
    sql: (limit: number) => `SELECT d.slug, d.name, count(*) AS games, round(cast(avg(CASE WHEN ${RATED} THEN g.rating END) as decimal(18, 6)), 2) AS average_rating,
        round(cast(avg(g.metacritic) as decimal(18, 6)), 1) AS average_metacritic, CAST(min(g.released) AS VARCHAR) AS first_release, CAST(max(g.released) AS VARCHAR) AS latest_release
      FROM filtered g JOIN marts.bridge_game_publishers b ON b.game_id = g.game_id JOIN marts.dim_publishers d ON d.publisher_id = b.publisher_id
      GROUP BY d.slug, d.name ORDER BY games DESC, d.name LIMIT ${limit}`,
  },
  'genre-trends': {
    description: 'Games of each genre per release year',
    sql: () => `SELECT ${YEAR} AS year, d.slug, d.name, count(*) AS games FROM filtered g JOIN marts.bridge_game_genres b ON b.game_id = g.game_id
      JOIN marts.dim_genres d ON d.genre_id = b.genre_id WHERE g.released IS NOT NULL GROUP BY 1, 2, 3 ORDER BY year, games DESC, d.slug`,
  },
} as const;
export type StatName = keyof typeof STATS;
export const STAT_NAMES = Object.keys(STATS) as StatName[];

export interface StatResult {
  stat: StatName;
  description: string;
  rows: Row[];
  data: DataVersion | null;
}

/** One aggregate over the games the filters keep (the explorer's filters, the same parameters). */
export async function marketStat(ws: Workspace, stat: string, filters: GameFilters = {}, options: { limit?: number } = {}): Promise<StatResult> {
  if (!(STAT_NAMES as string[]).includes(stat)) {
    throw new UsageError(`no statistic "${stat}"`, { code: 'NOT_FOUND', hint: `one of ${STAT_NAMES.join(', ')}` });
  }
  const name = stat as StatName;
  const where = gameFilterSql(filters);
  const limit = Math.min(100, Math.max(1, Math.floor(options.limit ?? 20)));
  const sql = `WITH filtered AS (SELECT g.* FROM marts.dim_games g ${where.sql}) ${STATS[name].sql(limit)}`;
  const [data, rows] = await Promise.all([dataVersion(ws), withReader(ws, (w) => w.query(sql, { params: where.params }))]);
  return { stat: name, description: STATS[name].description, rows, data };
}
