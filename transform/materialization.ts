import type { PartitionRange, WarehouseDialect } from '../warehouse/index.js';
import type { ModelNode } from './model.js';

/**
 * The statements materializing `node` from its compiled `sql`: a view, a table replaced whole, or
 * the partition slice `range` deleted and re-inserted (run them in one transaction).
 */
export function materializationStatements(
  dialect: WarehouseDialect,
  node: ModelNode,
  sql: string,
  range: PartitionRange | null,
): string[] {
  const schema = dialect.createSchema(node.schema);
  switch (node.materialized) {
    case 'view':
      return [schema, dialect.createView(node.relation, sql)];
    case 'table':
      return [schema, dialect.createTable(node.relation, sql)];
    case 'partitioned': {
      if (range === null) throw new Error(`${node.relation} is partitioned: a partition range is required`);
      return [schema, ...dialect.replacePartition(node.relation, sql, node.partitionBy ?? 'dt', range)];
    }
  }
}
