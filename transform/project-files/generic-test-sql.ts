import type { WarehouseDialect } from '../../warehouse/index.js';
import type { DataTest } from './data-test.js';

/**
 * The SELECT of the rows that violate a generic test on `relation`, restricted by `filter` (the
 * partition slice) when given. Nulls pass every test but `not_null`, as in dbt.
 */
export function genericTestSql(
  test: DataTest,
  relation: string,
  filter: string | null,
  dialect: WarehouseDialect,
  /** The relation named by `relationships.to` (`ref('m')` / `source('s', 't')`). */
  target: string | undefined,
): string {
  const col = test.column!;
  const model = `(select * from ${relation}${filter === null ? '' : ` where ${filter}`}) as model`;
  const a = test.args;
  switch (test.kind) {
    case 'unique':
      return `select ${col} as unique_field, count(*) as n_records from ${model} where ${col} is not null group by ${col} having count(*) > 1`;
    case 'not_null':
      return `select * from ${model} where ${col} is null`;
    case 'accepted_values': {
      const list = (a.values as (string | number | boolean)[])
        .map((v) => (typeof v === 'string' && a.quote !== false ? dialect.quoteLiteral(v) : String(v)))
        .join(', ');
      return `select ${col} as value_field, count(*) as n_records from ${model} where ${col} is not null and ${col} not in (${list}) group by ${col}`;
    }
    case 'relationships': {
      const field = String(a.field);
      return [
        `with child as (select ${col} as from_field from ${model} where ${col} is not null),`,
        `parent as (select ${field} as to_field from ${target})`,
        `select child.from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null`,
      ].join('\n');
    }
    case 'accepted_range': {
      const [lo, hi] = a.inclusive === false ? ['>', '<'] : ['>=', '<='];
      const conds = [
        ...(a.min_value !== undefined ? [`${col} ${lo} ${Number(a.min_value)}`] : []),
        ...(a.max_value !== undefined ? [`${col} ${hi} ${Number(a.max_value)}`] : []),
      ];
      return `select * from ${model} where not (${conds.join(' and ')})`;
    }
    case 'singular':
      throw new Error('a singular test has its own SQL');
  }
}
