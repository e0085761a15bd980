import type { LineageAsset, LineageEdge, LineageGraph } from './lineage-graph.js';

export type LineageDirection = 'upstream' | 'downstream' | 'both';

/** The assets upstream and/or downstream of one asset (itself included), with the edges among them. */
export function walkAssets(graph: LineageGraph, key: string, direction: LineageDirection): { assets: LineageAsset[]; edges: LineageEdge[] } {
  const reached = new Set([key]);
  const edges = new Set<LineageEdge>();
  const follow = (up: boolean): void => {
    const queue = [key];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      for (const e of graph.assetEdges) {
        const next = up ? (e.to === current ? e.from : undefined) : e.from === current ? e.to : undefined;
        if (next === undefined) continue;
        edges.add(e);
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
  };
  if (direction !== 'downstream') follow(true);
  if (direction !== 'upstream') follow(false);
  return { assets: graph.assets.filter((a) => reached.has(a.key)), edges: [...edges] };
}
