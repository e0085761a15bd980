import { joinJsonPath } from './json-path.js';
import type { LineageGraph } from './lineage-graph.js';
import type { LineageDirection } from './walk-assets.js';

/** A column (or a JSON field inside one) in a column trace; column `*` stands for a whole relation. */
export interface ColumnNode {
  id: string;
  relation: string;
  asset?: string;
  column: string;
  path?: string;
  resolved: boolean;
  reason?: string;
}

/** Column lineage edges, upstream → downstream; `path` is the field of `from` that `to` reads. */
export interface ColumnEdge {
  from: string;
  to: string;
  path?: string;
}

export interface ColumnTrace {
  nodes: ColumnNode[];
  edges: ColumnEdge[];
}

/** `raw.rawg_games.value` or `raw.rawg_games.value→genres[*].id`. */
export function columnNodeId(relation: string, column: string, path?: string): string {
  return `${relation}.${column}${path ? `→${path}` : ''}`;
}

/**
 * Follows a column's lineage across models. Upstream, JSON paths compose, so a mart column ends at
 * the raw field it came from; downstream, every column that reads it. Where a column was not
 * resolved, the trace falls back to its model's inputs as whole relations (column `*`).
 */
export function traceColumn(graph: LineageGraph, relation: string, column: string, direction: LineageDirection): ColumnTrace {
  const models = new Map(graph.models.map((m) => [m.relation, m]));
  const assetOf = new Map(graph.assets.map((a) => [a.relation, a.key]));
  const nodes = new Map<string, ColumnNode>();
  const edges = new Map<string, ColumnEdge>();
  const node = (rel: string, col: string, path?: string): ColumnNode => {
    const id = columnNodeId(rel, col, path);
    let n = nodes.get(id);
    if (!n) {
      const asset = assetOf.get(rel);
      n = { id, relation: rel, ...(asset ? { asset } : {}), column: col, ...(path ? { path } : {}), resolved: true };
      nodes.set(id, n);
    }
    return n;
  };
  const edge = (from: string, to: string, path?: string): void => {
    edges.set(`${from}\0${to}\0${path ?? ''}`, { from, to, ...(path ? { path } : {}) });
  };
  const unresolved = (n: ColumnNode, reason: string, inputs: readonly string[]): void => {
    n.resolved = false;
    n.reason = reason;
    for (const input of inputs) edge(node(input, '*').id, n.id);
  };

  const start = node(relation, column);
  if (direction !== 'downstream') {
    const queue = [start];
    for (let current = queue.shift(); current; current = queue.shift()) {
      if (current.column === '*') continue;
      const model = models.get(current.relation);
      if (!model) continue; // a raw table: the end of the chain
      const col = model.columns.find((c) => c.column.toLowerCase() === current.column.toLowerCase());
      if (!col) {
        unresolved(current, model.resolved ? `${model.relation} has no column ${current.column}` : (model.reason ?? 'unresolved model'), model.inputs);
        continue;
      }
      if (!col.resolved) unresolved(current, col.reason ?? 'unresolved', col.modelSources ?? model.inputs);
      for (const s of col.sources) {
        const seen = nodes.has(columnNodeId(s.relation, s.column, joinJsonPath(s.path, current.path)));
        const next = node(s.relation, s.column, joinJsonPath(s.path, current.path));
        edge(next.id, current.id);
        if (!seen) queue.push(next);
      }
    }
  }
  if (direction !== 'upstream') {
    const queue = [start];
    for (let current = queue.shift(); current; current = queue.shift()) {
      for (const m of graph.models) {
        for (const c of m.columns) {
          const reads = c.sources.filter((s) => s.relation === current.relation && s.column.toLowerCase() === current.column.toLowerCase());
          // An unresolved column may read anything of its model's inputs.
          const maybe = reads.length === 0 && !c.resolved && (c.modelSources ?? []).includes(current.relation);
          if (reads.length === 0 && !maybe) continue;
          const seen = nodes.has(columnNodeId(m.relation, c.column));
          const next = node(m.relation, c.column);
          if (!c.resolved) {
            next.resolved = false;
            next.reason = c.reason ?? 'unresolved';
          }
          for (const s of reads.length > 0 ? reads : [{ path: undefined }]) edge(current.id, next.id, s.path);
          if (!seen) queue.push(next);
        }
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
