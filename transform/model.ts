import type { PartitionRange } from '../warehouse/index.js';

export type Materialization = 'view' | 'table' | 'partitioned';

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
  tags: string[];
  refs: string[];
  sources: { source: string; table: string }[];
  description: string;
}

/** The render-time inputs that change per execution. */
export interface CompileTarget {
  name: string;
  type: string;
  partition: PartitionRange | null;
}
