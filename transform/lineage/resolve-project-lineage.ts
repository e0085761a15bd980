import type { ModelLineage } from './column-lineage.js';
import { resolveStatement } from './resolve-statement.js';

/** A built model to resolve: its relation, what it reads, and its compiled SQL parsed to JSON. */
export interface ParsedModel {
  relation: string;
  inputs: string[];
  parsed: unknown;
}

/** The columns of every raw table (`raw.<source>_<table>`): the lake views expose these three. */
export const RAW_COLUMNS: readonly string[] = ['dt', 'run_id', 'value'];

/**
 * Resolves each model's column lineage, dependencies first, so a model's output columns become the
 * known input columns of the models that read it; `raw` relations have `RAW_COLUMNS`. Pure.
 */
export function resolveProjectLineage(models: readonly ParsedModel[], rawRelations: readonly string[]): ModelLineage[] {
  const known = new Map<string, readonly string[]>(rawRelations.map((r) => [r, RAW_COLUMNS]));
  return models.map((model) => {
    const result = resolveStatement(model.parsed, (relation) => known.get(relation));
    if (result.columns === null) {
      return { relation: model.relation, inputs: model.inputs, columns: [], resolved: false, reason: result.reason ?? 'unknown' };
    }
    known.set(model.relation, result.columns.map((c) => c.column));
    const columns = result.columns.map((c) => {
      // A source the model does not read is a misparse (a CTE taken for a table): not column lineage.
      const foreign = c.sources.filter((s) => !model.inputs.includes(s.relation));
      if (c.resolved && foreign.length === 0) return c;
      const reason = [c.reason, ...foreign.map((s) => `${s.relation} is not an input of the model`)].filter(Boolean).join('; ');
      return { ...c, sources: c.sources.filter((s) => model.inputs.includes(s.relation)), resolved: false, reason, modelSources: model.inputs };
    });
    return { relation: model.relation, inputs: model.inputs, columns, resolved: columns.every((c) => c.resolved) };
  });
}
