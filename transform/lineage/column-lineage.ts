/** One upstream column a column derives from; `path` is the JSON field inside it (`genres[*].id`). */
export interface ColumnSource {
  relation: string;
  column: string;
  path?: string;
}

/**
 * The lineage of one output column. `resolved: false` means parsing could not follow every part of
 * it: `sources` are then only what was found, and `modelSources` (the model's inputs) stand in.
 */
export interface ColumnLineage {
  column: string;
  sources: ColumnSource[];
  resolved: boolean;
  reason?: string;
  modelSources?: string[];
}

/** The column-level lineage of one model; `resolved: false` with no columns when its output is unknown. */
export interface ModelLineage {
  relation: string;
  /** What the model reads (refs and sources, as relations): the model-level fallback. */
  inputs: string[];
  columns: ColumnLineage[];
  resolved: boolean;
  reason?: string;
}
