import type { PartitionKey } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { CheckSpec } from './define-check.js';

const slice = (w: Warehouse, column: string, partition: PartitionKey | null): string =>
  partition === null ? '' : `WHERE ${column} = DATE ${w.dialect.quoteLiteral(partition)}`;

/** This platform's checks on raw data (the models' tests live in their yml files and models/tests/). */
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
];
