import { RAW_COLUMNS, traceColumn, type ColumnLineage, type LineageGraph } from '../../transform/index.js';
import { GMP_PRODUCER, RAWG_NAMESPACE, type Dataset, type DatasetFacets, type InputField } from './openlineage-event.js';

const SCHEMA_FACET_URL = 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const COLUMN_LINEAGE_FACET_URL = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';

/** What a step materializes, as far as lineage goes: an endpoint into a raw table, a model, or neither (a check). */
export type StepAsset =
  | { kind: 'ingestion'; endpoint: string; relation: string }
  | { kind: 'model'; relation: string }
  | { kind: 'other' };

/**
 * The input and output datasets of a step: ingestion reads its RAWG endpoint into a raw table;
 * a model reads its refs and sources, with schema facets and (when asked) a column-lineage facet
 * naming each column's direct inputs and the raw fields it traces back to. Pure.
 */
export function stepDatasets(
  asset: StepAsset,
  lineage: LineageGraph | undefined,
  warehouseNamespace: string,
  withColumnLineage: boolean,
): { inputs: Dataset[]; outputs: Dataset[] } {
  if (asset.kind === 'ingestion') {
    return {
      inputs: [{ namespace: RAWG_NAMESPACE, name: asset.endpoint }],
      outputs: [{ namespace: warehouseNamespace, name: asset.relation, facets: schemaFacet(RAW_COLUMNS) }],
    };
  }
  if (asset.kind === 'other') return { inputs: [], outputs: [] };
  const model = lineage?.models.find((m) => m.relation === asset.relation);
  if (!lineage || !model) return { inputs: [], outputs: [{ namespace: warehouseNamespace, name: asset.relation }] };
  const columnsOf = (relation: string): readonly string[] | undefined =>
    lineage.models.find((m) => m.relation === relation)?.columns.map((c) => c.column) ??
    (lineage.assets.some((a) => a.relation === relation && a.kind === 'source') ? RAW_COLUMNS : undefined);
  const inputs = model.inputs.map((relation): Dataset => {
    const columns = columnsOf(relation);
    return { namespace: warehouseNamespace, name: relation, ...(columns && columns.length > 0 ? { facets: schemaFacet(columns) } : {}) };
  });
  const facets: DatasetFacets = model.columns.length > 0 ? schemaFacet(model.columns.map((c) => c.column)) : {};
  if (withColumnLineage) {
    const fields: Record<string, { inputFields: InputField[] }> = {};
    for (const column of model.columns) {
      const inputFields = columnInputs(lineage, asset.relation, column, warehouseNamespace);
      if (inputFields.length > 0) fields[column.column] = { inputFields };
    }
    if (Object.keys(fields).length > 0) {
      facets.columnLineage = { _producer: GMP_PRODUCER, _schemaURL: COLUMN_LINEAGE_FACET_URL, fields };
    }
  }
  return { inputs, outputs: [{ namespace: warehouseNamespace, name: asset.relation, facets }] };
}

function schemaFacet(columns: readonly string[]): DatasetFacets {
  return { schema: { _producer: GMP_PRODUCER, _schemaURL: SCHEMA_FACET_URL, fields: columns.map((name) => ({ name })) } };
}

// A column's direct inputs, then the raw fields it traces back to (JSON paths composed across models).
function columnInputs(lineage: LineageGraph, relation: string, column: ColumnLineage, namespace: string): InputField[] {
  const models = new Set(lineage.models.map((m) => m.relation));
  const byField = new Map<string, { name: string; field: string; notes: string[] }>();
  const add = (name: string, field: string, note: string): void => {
    const key = `${name}\0${field}`;
    const entry = byField.get(key) ?? { name, field, notes: [] };
    if (!entry.notes.includes(note)) entry.notes.push(note);
    byField.set(key, entry);
  };
  for (const s of column.sources) add(s.relation, s.column, s.path ? `direct input, JSON path ${s.path}` : 'direct input');
  const trace = traceColumn(lineage, relation, column.column, 'upstream');
  for (const n of trace.nodes) {
    if (n.column === '*' || n.relation === relation || models.has(n.relation)) continue;
    add(n.relation, n.column, n.path ? `raw origin, JSON path ${n.path}` : 'raw origin');
  }
  const partial = column.resolved ? '' : `; partially resolved: ${column.reason ?? 'unknown'}`;
  return [...byField.values()].map((e) => ({
    namespace,
    name: e.name,
    field: e.field,
    transformations: [{ type: 'DIRECT' as const, description: `${e.notes.join('; ')}${partial}` }],
  }));
}
