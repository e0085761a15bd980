import type { PartitionRange, WarehouseDialect } from '../warehouse/index.js';
import type { CompileOptions, ModelNode } from './model.js';

/**
 * The statements materializing `node` from its compiled `sql`, to run in one transaction: a view;
 * a table replaced whole; an incremental table created, or merged on its unique key once it
 * exists; the partition slice `range` deleted and re-inserted; nothing for an ephemeral model.
 */
export function materializationStatements(
  dialect: WarehouseDialect,
  node: ModelNode,
  sql: string,
  range: PartitionRange | null,
  options: CompileOptions = {},
): string[] {
  const schema = dialect.createSchema(node.schema);
  switch (node.materialized) {
    case 'view':
      return [schema, ...replace(dialect, 'view', node.relation, sql)];
    case 'table':
      return [schema, ...replace(dialect, 'table', node.relation, sql)];
    case 'incremental': {
      if (!options.relationExists) return [schema, ...replace(dialect, 'table', node.relation, sql)];
      if (!dialect.mergeOnKey) throw new Error(`${dialect.name} cannot merge incremental models`);
      if (!node.uniqueKey || node.uniqueKey.length === 0) throw new Error(`${node.relation} is incremental: unique_key is required`);
      return [schema, ...dialect.mergeOnKey(node.relation, sql, node.uniqueKey)];
    }
    case 'partitioned': {
      if (range === null) throw new Error(`${node.relation} is partitioned: a partition range is required`);
      return [schema, ...dialect.replacePartition(node.relation, sql, node.partitionBy ?? 'dt', range)];
    }
    case 'ephemeral':
      return [];
  }
}

/**
 * A view or table replaced whole. Where the dialect has no swap of its own, one CREATE OR REPLACE
 * is the swap: DuckDB's MVCC shows other connections the old table until it commits, Snowflake
 * replaces atomically, and a failing build rolls back leaving the old relation intact.
 */
function replace(dialect: WarehouseDialect, kind: 'view' | 'table', relation: string, sql: string): string[] {
  if (dialect.replaceRelation) return dialect.replaceRelation(kind, relation, sql);
  return [kind === 'view' ? dialect.createView(relation, sql) : dialect.createTable(relation, sql)];
}
