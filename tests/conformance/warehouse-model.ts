import { materializationStatements, type BuiltMaterialization, type ModelNode } from '../../transform/index.js';
import type { PartitionRange, Warehouse } from '../../warehouse/index.js';

/** A model node as the project loader would make it for `relation` (`schema.name`). */
export function model(relation: string, materialized: BuiltMaterialization, extra: Partial<ModelNode> = {}): ModelNode {
  const at = relation.indexOf('.');
  const schema = relation.slice(0, at);
  const name = relation.slice(at + 1);
  return {
    name,
    file: `${schema}/${name}.sql`,
    schema,
    relation,
    materialized,
    partitionBy: undefined,
    uniqueKey: undefined,
    tags: [],
    refs: [],
    sources: [],
    description: '',
    ...extra,
  };
}

/** Runs a model's statements as the orchestration does: in one transaction. */
export function build(warehouse: Warehouse, node: ModelNode, sql: string, options: { range?: PartitionRange; exists?: boolean } = {}): Promise<void> {
  const statements = materializationStatements(warehouse.dialect, node, sql, options.range ?? null, { relationExists: options.exists ?? false });
  return warehouse.execute(statements, { transaction: true });
}
