import type { BuiltModelNode, ModelNode } from '../model.js';
import type { ModelLineage } from './column-lineage.js';

/** An asset of the lineage graph: a raw source table or a model. */
export interface LineageAsset {
  key: string;
  relation: string;
  kind: 'source' | 'model';
  materialized?: string;
}

/** A directed edge, upstream → downstream. */
export interface LineageEdge {
  from: string;
  to: string;
}

/** Asset-, model- and column-level lineage of a project. */
export interface LineageGraph {
  assets: LineageAsset[];
  /** Between asset keys, through ephemeral models (what a build reads). */
  assetEdges: LineageEdge[];
  /** Between model relations as written, ephemeral models included; raw tables by relation. */
  modelEdges: LineageEdge[];
  /** Column lineage per built model. */
  models: ModelLineage[];
}

export interface LineageProject {
  models: readonly BuiltModelNode[];
  nodes: readonly ModelNode[];
}

/** `source('rawg', 'games')` → `raw.rawg_games`, the loader's default. */
export const defaultSourceRelation = (source: string, table: string): string => `raw.${source}_${table}`;

/** Builds the lineage graph from the project's refs and sources plus the resolved column lineage. */
export function buildLineageGraph(
  project: LineageProject,
  models: readonly ModelLineage[],
  sourceRelation: (source: string, table: string) => string = defaultSourceRelation,
): LineageGraph {
  const relationOf = new Map(project.nodes.map((n) => [n.name, n.relation]));
  const assets = new Map<string, LineageAsset>();
  const assetEdges: LineageEdge[] = [];
  for (const m of project.models) {
    for (const s of m.sources) {
      const key = `${s.source}/${s.table}`;
      assets.set(key, { key, relation: sourceRelation(s.source, s.table), kind: 'source' });
    }
  }
  const keyOf = (node: Pick<ModelNode, 'schema' | 'name'>): string => `${node.schema}/${node.name}`;
  const byName = new Map(project.models.map((m) => [m.name, m]));
  for (const m of project.models) {
    assets.set(keyOf(m), { key: keyOf(m), relation: m.relation, kind: 'model', materialized: m.materialized });
    for (const r of m.refs) assetEdges.push({ from: keyOf(byName.get(r) ?? { schema: '?', name: r }), to: keyOf(m) });
    for (const s of m.sources) assetEdges.push({ from: `${s.source}/${s.table}`, to: keyOf(m) });
  }
  const modelEdges = project.nodes.flatMap((n) => [
    ...n.refs.map((r) => ({ from: relationOf.get(r) ?? r, to: n.relation })),
    ...n.sources.map((s) => ({ from: sourceRelation(s.source, s.table), to: n.relation })),
  ]);
  return { assets: [...assets.values()].sort((a, b) => a.key.localeCompare(b.key)), assetEdges, modelEdges, models: [...models] };
}
