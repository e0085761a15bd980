import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type Warehouse } from '../warehouse/index.js';
import { isPlainIdentifier } from '../warehouse/snowflake/index.js';
import { martRowCounts, mostRatedGames } from './demo.js';

let duck: Warehouse;
const sent: string[] = [];
/** The DuckDB warehouse, recording the SQL the demo sends. */
const recording = (): Warehouse => ({ ...duck, query: (sql, options) => (sent.push(sql), duck.query(sql, options)) });

beforeEach(async () => {
  sent.length = 0;
  duck = await createDuckDbWarehouse({ path: ':memory:' });
  await duck.execute([
    'CREATE SCHEMA marts',
    `CREATE TABLE marts.dim_games AS SELECT * FROM (VALUES
       (1, 'Portal', DATE '2007-10-09', 4.5, 900, 90),
       (2, 'Braid', DATE '2008-08-06', 4.2, 900, 93),
       (3, 'No Genre', DATE '2020-01-01', 3.0, 500, NULL),
       (4, 'Obscure', DATE '2021-01-01', 2.0, NULL, NULL),
       (5, 'Tiny', DATE '2022-01-01', 1.0, 10, NULL),
       (6, 'Tinier', DATE '2022-01-02', 1.0, 5, NULL)
     ) AS t(game_id, name, released, rating, ratings_count, metacritic)`,
    `CREATE TABLE marts.dim_genres AS SELECT * FROM (VALUES (10, 'Puzzle'), (11, 'Action'), (12, 'Platformer')) AS t(genre_id, name)`,
    `CREATE TABLE marts.bridge_game_genres AS SELECT * FROM (VALUES (1, 10), (1, 11), (2, 12), (2, 10), (5, 11)) AS t(game_id, genre_id)`,
  ]);
});
afterEach(() => duck.close());

describe('the demo summary', () => {
  it('lists the five most-rated games with their genres sorted and comma-separated (null without any)', async () => {
    expect(await mostRatedGames(recording())).toEqual([
      { name: 'Braid', released: '2008-08-06', rating: 4.2, ratings_count: 900, metacritic: 93, genres: 'Platformer, Puzzle' },
      { name: 'Portal', released: '2007-10-09', rating: 4.5, ratings_count: 900, metacritic: 90, genres: 'Action, Puzzle' },
      { name: 'No Genre', released: '2020-01-01', rating: 3, ratings_count: 500, metacritic: null, genres: null },
      { name: 'Tiny', released: '2022-01-01', rating: 1, ratings_count: 10, metacritic: null, genres: 'Action' },
      { name: 'Tinier', released: '2022-01-02', rating: 1, ratings_count: 5, metacritic: null, genres: null },
    ]);
  });

  it('counts the rows of every mart, sorted by relation', async () => {
    expect(await martRowCounts(recording(), ['marts.dim_games', 'marts.bridge_game_genres'])).toEqual([
      { relation: 'marts.bridge_game_genres', rows: 5 },
      { relation: 'marts.dim_games', rows: 6 },
    ]);
    expect(await martRowCounts(recording(), [])).toEqual([]);
  });

  it('sends SQL that Snowflake runs too: no string_agg/LISTAGG, no reserved word as an alias', async () => {
    await mostRatedGames(recording());
    await martRowCounts(recording(), ['marts.dim_games']);
    expect(sent).toHaveLength(2);
    for (const sql of sent) {
      expect(sql).not.toMatch(/string_agg|listagg|group_concat/i);
      for (const [, alias = ''] of sql.matchAll(/\bAS\s+([A-Za-z_][A-Za-z0-9_]*)/gi)) expect(isPlainIdentifier(alias), alias).toBe(true);
    }
  });
});
