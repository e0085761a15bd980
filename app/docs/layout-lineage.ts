import type { LineageEdge } from '../../transform/index.js';

export interface LaidOutNode {
  key: string;
  depth: number;
  x: number;
  y: number;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  nodes: LaidOutNode[];
  /** Each edge with its SVG path (a cubic curve from the right of `from` to the left of `to`). */
  edges: (LineageEdge & { path: string })[];
}

const NODE_HEIGHT = 22;
const ROW_GAP = 8;
const COLUMN_GAP = 70;
const CHAR_WIDTH = 7.3;
const MARGIN = 10;

/** Lays a DAG out left to right: one column per longest-path depth, rows ordered by their parents' rows. */
export function layoutLineage(keys: readonly string[], edges: readonly LineageEdge[]): LineageLayout {
  const known = new Set(keys);
  const used = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const parents = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const e of used) parents.get(e.to)!.push(e.from);
  const depth = new Map<string, number>();
  const depthOf = (key: string, stack: Set<string>): number => {
    const cached = depth.get(key);
    if (cached !== undefined) return cached;
    if (stack.has(key)) return 0; // a cycle: cut it here
    stack.add(key);
    const d = Math.max(-1, ...parents.get(key)!.map((p) => depthOf(p, stack))) + 1;
    stack.delete(key);
    depth.set(key, d);
    return d;
  };
  for (const k of keys) depthOf(k, new Set());
  const layers: string[][] = [];
  for (const k of [...keys].sort()) (layers[depth.get(k)!] ??= []).push(k);
  const row = new Map<string, number>();
  for (const layer of layers) {
    if (!layer) continue;
    const score = (k: string): number => {
      const ps = parents.get(k)!.map((p) => row.get(p) ?? 0);
      return ps.length === 0 ? -1 : ps.reduce((a, b) => a + b, 0) / ps.length;
    };
    layer.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    layer.forEach((k, i) => row.set(k, i));
  }
  const nodeWidth = Math.ceil(Math.max(8, ...keys.map((k) => k.length)) * CHAR_WIDTH + 16);
  const tallest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  const height = tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + 2 * MARGIN;
  const nodes: LaidOutNode[] = [];
  layers.forEach((layer, d) => {
    const offset = (height - 2 * MARGIN - (layer.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP)) / 2;
    layer.forEach((key, i) => nodes.push({ key, depth: d, x: MARGIN + d * (nodeWidth + COLUMN_GAP), y: MARGIN + offset + i * (NODE_HEIGHT + ROW_GAP) }));
  });
  const at = new Map(nodes.map((n) => [n.key, n]));
  const laidEdges = used.map((e) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const x1 = a.x + nodeWidth;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    const bend = Math.max(30, (x2 - x1) / 2);
    return { ...e, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` };
  });
  return {
    width: layers.length * (nodeWidth + COLUMN_GAP) - COLUMN_GAP + 2 * MARGIN,
    height,
    nodeWidth,
    nodeHeight: NODE_HEIGHT,
    nodes,
    edges: laidEdges,
  };
}
