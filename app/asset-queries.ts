import { decodeCursor, encodeCursor } from './cursor.js';
import { UsageError } from '../core/index.js';
import { listAssets, type AssetSummary } from './list-assets.js';
import type { Workspace } from './workspace.js';

export interface AssetsQuery {
  limit: number;
  cursor?: string;
  group?: string;
  kind?: string;
  tag?: string;
  /** A case-insensitive substring of the key or description. */
  q?: string;
}

/** Assets in graph order, filtered, a page at a time (the cursor is an opaque position). */
export function pageAssets(ws: Workspace, query: AssetsQuery): { assets: AssetSummary[]; next: string | null } {
  const q = query.q?.toLowerCase();
  const matching = listAssets(ws).filter(
    (a) =>
      (query.group === undefined || a.group === query.group) &&
      (query.kind === undefined || a.kind === query.kind) &&
      (query.tag === undefined || a.tags.includes(query.tag)) &&
      (q === undefined || a.key.toLowerCase().includes(q) || a.description.toLowerCase().includes(q)),
  );
  const start = query.cursor === undefined ? 0 : decodeOffset(query.cursor);
  const end = start + query.limit;
  return { assets: matching.slice(start, end), next: end < matching.length ? encodeOffset(end) : null };
}

/** One asset with what reads it; NOT_FOUND when the graph has no such key. */
export function getAsset(ws: Workspace, key: string): AssetSummary & { downstream: string[] } {
  if (!ws.graph.assets.has(key)) {
    throw new UsageError(`unknown asset "${key}"`, { code: 'NOT_FOUND', hint: 'list assets with GET /api/v1/assets or `gmp assets`' });
  }
  const asset = listAssets(ws).find((a) => a.key === key)!;
  return { ...asset, downstream: ws.graph.order.filter((k) => ws.graph.get(k).deps.some((d) => d.key === key)) };
}

function encodeOffset(offset: number): string {
  return encodeCursor({ o: offset });
}

function decodeOffset(cursor: string): number {
  return decodeCursor(cursor, (v) => {
    const o = (v as { o?: unknown } | null)?.o;
    return Number.isInteger(o) && (o as number) >= 0 ? (o as number) : undefined;
  });
}
