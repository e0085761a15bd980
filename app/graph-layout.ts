import { createHash } from 'node:crypto';
import type { AssetKind } from '../core/index.js';
import { selectAssets, type AssetGraph } from '../orchestration/index.js';
import type { Workspace } from './workspace.js';

export interface LaidOutAsset {
  key: string;
  group: string;
  kind: AssetKind;
  /** Checks on it (drawn as a count, not as nodes). */
  checks: number;
  layer: number;
  x: number;
  y: number;
}

export interface GraphLayout {
  /** Hash of the laid-out graph (keys, dependencies, selection): the layout's cache key. */
  hash: string;
  nodes: LaidOutAsset[];
  edges: [string, string][];
  width: number;
  height: number;
  /** Assets in the whole graph (checks aside), for "showing N of M". */
  total: number;
}

export const NODE = { width: 240, height: 26, columnGap: 90, rowGap: 10 } as const;
const cache = new Map<string, GraphLayout>();

/**
 * The asset graph (checks folded into their assets) laid out in layers, left to right, on the
 * server: longest-path layers, groups kept together, then barycenter sweeps to untangle edges.
 * Cached by the hash of what it lays out; `select` (selection syntax) lays out that subgraph only.
 */
export function assetGraphLayout(ws: Workspace, select?: string): GraphLayout {
  return layoutGraph(ws.graph, select);
}

export function layoutGraph(graph: AssetGraph, select?: string): GraphLayout {
  const all = graph.order.filter((k) => graph.get(k).kind !== 'check');
  const chosen = select?.trim() ? new Set(selectAssets(graph, select).filter((k) => graph.get(k).kind !== 'check')) : new Set(all);
  const keys = all.filter((k) => chosen.has(k));
  const deps = new Map(keys.map((k) => [k, graph.get(k).deps.map((d) => d.key).filter((d) => chosen.has(d))]));
  const hash = createHash('sha256').update(JSON.stringify([select ?? '', keys.map((k) => [k, deps.get(k)])])).digest('base64url').slice(0, 16);
  const cached = cache.get(hash);
  if (cached) return cached;

  const checks = new Map<string, number>();
  for (const k of graph.order) {
    const def = graph.get(k);
    if (def.kind === 'check') for (const d of def.deps.slice(0, 1)) checks.set(d.key, (checks.get(d.key) ?? 0) + 1);
  }
  // Longest-path layers: `keys` is in topological order, so every dependency is placed first.
  const layerOf = new Map<string, number>();
  for (const k of keys) layerOf.set(k, Math.max(-1, ...deps.get(k)!.map((d) => layerOf.get(d)!)) + 1);
  const layers: string[][] = [];
  for (const k of keys) (layers[layerOf.get(k)!] ??= []).push(k);
  const group = (k: string) => graph.get(k).group;
  for (const layer of layers) layer.sort((a, b) => group(a).localeCompare(group(b)) || a.localeCompare(b));

  const dependents = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const k of keys) for (const d of deps.get(k)!) dependents.get(d)!.push(k);
  const position = new Map<string, number>();
  const index = () => layers.forEach((layer) => layer.forEach((k, i) => position.set(k, i)));
  index();
  // Barycenter sweeps: down (by what a node reads), then up (by what reads it).
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of order) {
      const score = new Map(
        layer.map((k) => {
          const near = down ? deps.get(k)! : dependents.get(k)!;
          return [k, near.length === 0 ? position.get(k)! : near.reduce((n, x) => n + position.get(x)!, 0) / near.length];
        }),
      );
      layer.sort((a, b) => score.get(a)! - score.get(b)! || group(a).localeCompare(group(b)) || a.localeCompare(b));
      layer.forEach((k, i) => position.set(k, i));
    }
  }

  const nodes: LaidOutAsset[] = layers.flatMap((layer, li) =>
    layer.map((k, i) => ({
      key: k,
      group: group(k),
      kind: graph.get(k).kind,
      checks: checks.get(k) ?? 0,
      layer: li,
      x: li * (NODE.width + NODE.columnGap),
      y: i * (NODE.height + NODE.rowGap),
    })),
  );
  const layout: GraphLayout = {
    hash,
    nodes,
    edges: keys.flatMap((k) => deps.get(k)!.map((d): [string, string] => [d, k])),
    width: Math.max(1, layers.length) * (NODE.width + NODE.columnGap),
    height: Math.max(1, ...layers.map((l) => l.length)) * (NODE.height + NODE.rowGap),
    total: all.length,
  };
  if (cache.size > 50) cache.clear();
  cache.set(hash, layout);
  return layout;
}
