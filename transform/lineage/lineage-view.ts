import type { LineageAsset, LineageEdge } from './lineage-graph.js';
import type { ColumnTrace } from './trace-column.js';

/** A graph ready to draw: labelled nodes (dashed when `resolved` is false) and edges upstream → downstream. */
export interface LineageView {
  nodes: { id: string; label: string; resolved?: boolean }[];
  edges: { from: string; to: string; label?: string }[];
}

/** The view of an asset walk: one node per asset key. */
export function assetLineageView(walk: { assets: LineageAsset[]; edges: LineageEdge[] }): LineageView {
  return { nodes: walk.assets.map((a) => ({ id: a.key, label: a.key })), edges: walk.edges.map((e) => ({ from: e.from, to: e.to })) };
}

/** The view of column traces (merged): one node per column or JSON field, edges labelled with the field read. */
export function columnLineageView(traces: readonly ColumnTrace[]): LineageView {
  const nodes = new Map<string, LineageView['nodes'][number]>();
  const edges = new Map<string, LineageView['edges'][number]>();
  for (const t of traces) {
    for (const n of t.nodes) nodes.set(n.id, { id: n.id, label: n.id, ...(n.resolved ? {} : { resolved: false }) });
    for (const e of t.edges) edges.set(`${e.from}\0${e.to}\0${e.path ?? ''}`, { from: e.from, to: e.to, ...(e.path ? { label: e.path } : {}) });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
