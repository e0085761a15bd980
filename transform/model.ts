import type { PartitionRange } from '../warehouse/index.js';

export type Materialization = 'view' | 'table' | 'incremental' | 'partitioned' | 'ephemeral';

/** The materializations that create a relation (every one but `ephemeral`, which is inlined). */
export type BuiltMaterialization = Exclude<Materialization, 'ephemeral'>;

/** A model file as found on disk. */
export interface ModelFile {
  name: string;
  /** Path relative to the models folder, for messages. */
  file: string;
  /** `staging` or `marts`, from the top-level folder. */
  schema: string;
  template: string;
}

/** A model whose template parsed: its dependencies and configuration, before compilation. */
export interface ModelNode {
  name: string;
  file: string;
  schema: string;
  /** `schema.name`. */
  relation: string;
  materialized: Materialization;
  partitionBy: string | undefined;
  /** Partitioned models: slices of UTC days (`day`, the default) or UTC hours (`hour`). */
  partitionGrain?: 'day' | 'hour';
  /** The merge key of an incremental model (one or more columns). */
  uniqueKey: string[] | undefined;
  tags: string[];
  refs: string[];
  sources: { source: string; table: string }[];
  description: string;
  /** The columns its yml file documents (name and description), in the file's order. */
  columns?: { name: string; description: string }[];
}

/** A model that is built into a relation; its `refs` and `sources` see through ephemeral models. */
export interface BuiltModelNode extends ModelNode {
  materialized: BuiltMaterialization;
  /** The ephemeral models inlined into this one as CTEs (dependencies first). */
  ephemerals: string[];
}

/** The render-time inputs that change per execution. */
export interface CompileTarget {
  name: string;
  type: string;
  partition: PartitionRange | null;
  /** `var('x')` values. */
  vars?: Readonly<Record<string, unknown>>;
}

/** Per-run inputs of `Project.compile` / `Project.statements`. */
export interface CompileOptions {
  /** The model's relation already exists: an incremental model then merges (`is_incremental()` is true). */
  relationExists?: boolean;
}
