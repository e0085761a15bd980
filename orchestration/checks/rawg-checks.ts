import type { PartitionKey } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { CheckSpec } from './define-check.js';

const slice = (w: Warehouse, column: string, partition: PartitionKey | null): string =>
  partition === null ? '' : `WHERE ${column} = DATE ${w.dialect.quoteLiteral(partition)}`;

/** This platform's checks. */
export const RAWG_CHECKS: readonly CheckSpec[] = [
  {
    asset: 'rawg/games',
    name: 'ids_present_and_unique',
    description: 'every game record of the partition has an id, once',
    severity: 'error',
    blocking: true,
    sql: (w, p) => {
      const id = w.dialect.macros.json_int!('value', 'id');
      return `SELECT SUM(CASE WHEN id IS NULL THEN 1 ELSE 0 END) + COUNT(id) - COUNT(DISTINCT id) AS failing
              FROM (SELECT ${id} AS id FROM raw.rawg_games ${slice(w, 'dt', p)}) AS r`;
    },
  },
  {
    asset: 'rawg/games',
    name: 'not_empty',
    description: 'the partition holds at least one game (RAWG changes hundreds a day)',
    severity: 'warn',
    blocking: false,
    sql: (w, p) => `SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END AS failing FROM raw.rawg_games ${slice(w, 'dt', p)}`,
  },
  {
    asset: 'marts/fct_game_daily_snapshot',
    name: 'one_row_per_game_per_day',
    description: 'no game appears twice on a day',
    severity: 'error',
    blocking: true,
    sql: (w, p) =>
      `SELECT COUNT(*) - COUNT(DISTINCT game_id) AS failing FROM marts.fct_game_daily_snapshot ${slice(w, 'dt', p)}`,
  },
  {
    asset: 'marts/fct_game_daily_snapshot',
    name: 'rating_in_range',
    description: 'ratings lie between 0 and 5',
    severity: 'warn',
    blocking: false,
    sql: (w, p) =>
      `SELECT COUNT(*) AS failing FROM marts.fct_game_daily_snapshot ${slice(w, 'dt', p)}${p === null ? ' WHERE' : ' AND'} (rating < 0 OR rating > 5)`,
  },
  {
    asset: 'marts/dim_games',
    name: 'game_id_unique',
    description: 'one row per game',
    severity: 'error',
    blocking: true,
    sql: () => `SELECT COUNT(*) - COUNT(DISTINCT game_id) AS failing FROM marts.dim_games`,
  },
];
