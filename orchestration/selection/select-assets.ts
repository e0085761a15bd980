import { UsageError, editDistance } from '../../core/index.js';
import type { AssetGraph } from '../graph/index.js';

/**
 * Resolves a selection to asset keys in graph order. The syntax is the same everywhere:
 * `key`; `key+` / `+key` (and everything downstream / upstream); `key+N` / `N+key` (N levels);
 * `group:NAME`, `tag:NAME`, `kind:KIND`; globs over keys (`marts/*`); `*` for everything. Terms
 * separated by spaces or commas are a union; `exclude` (same syntax) is removed from the result.
 * Throws UsageError naming every term that matches nothing, with suggestions.
 */
export function selectAssets(graph: AssetGraph, selection: string, exclude?: string): string[] {
  const chosen = resolveUnion(graph, selection, '--select');
  if (exclude !== undefined && exclude.trim() !== '') {
    for (const key of resolveUnion(graph, exclude, '--exclude')) chosen.delete(key);
    // A check goes with its asset: excluding the asset excludes its checks.
    for (const key of [...chosen]) {
      const asset = graph.assets.get(key);
      if (asset?.kind === 'check' && asset.deps[0] !== undefined && !chosen.has(asset.deps[0].key)) chosen.delete(key);
    }
  }
  if (chosen.size === 0) {
    throw new UsageError('the selection is empty after --exclude', { code: 'SELECTION_INVALID' });
  }
  return graph.order.filter((k) => chosen.has(k));
}

function resolveUnion(graph: AssetGraph, selection: string, option: string): Set<string> {
  const terms = selection.split(/[\s,]+/).filter((t) => t !== '');
  if (terms.length === 0) {
    throw new UsageError(`empty ${option}: name assets like rawg/games+ or group:rawg`, { code: 'SELECTION_INVALID' });
  }
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const term of terms) {
    const matched = resolveTerm(graph, term);
    if (matched.length === 0) unknown.push(term);
    for (const key of matched) chosen.add(key);
  }
  if (unknown.length > 0) {
    const keys = [...graph.assets.keys()];
    const detail = unknown.map((t) => `"${t}"${suggestion(t, keys)}`).join(', ');
    throw new UsageError(`no asset matches ${detail} in ${option}`, {
      code: 'SELECTION_INVALID',
      hint: 'list assets with `gmp assets`; syntax: key, key+, +key, 2+key, key+1, group:NAME, tag:NAME, kind:KIND, marts/*',
    });
  }
  return chosen;
}

const TERM = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/;

function resolveTerm(graph: AssetGraph, term: string): string[] {
  const m = TERM.exec(term);
  if (!m) return [];
  const [, upDepth, core = '', downDepth] = m;
  const up = upDepth === undefined ? 0 : upDepth === '' ? Infinity : Number(upDepth);
  const down = downDepth === undefined ? 0 : downDepth === '' ? Infinity : Number(downDepth);
  const base = baseKeys(graph, core);
  const out = new Set(base);
  if (up > 0) for (const k of base) walk(k, (x) => graph.upstream(x).map((d) => d.key), up, out);
  if (down > 0) for (const k of base) walk(k, (x) => graph.downstream(x).filter((d) => checksOnlyItsAsset(graph, x, d)), down, out);
  return [...out];
}

/**
 * Walking downstream reaches a check through the asset it checks, never through the other assets
 * it reads (a relationships test also reads its `to` model): as in Dagster, checks run with their
 * asset, so `dim_games+` does not run a check of stg_events that merely looks dim_games up.
 */
function checksOnlyItsAsset(graph: AssetGraph, from: string, to: string): boolean {
  const asset = graph.assets.get(to);
  return asset?.kind !== 'check' || asset.deps[0]?.key === from;
}

function baseKeys(graph: AssetGraph, core: string): string[] {
  const assets = [...graph.assets.values()];
  const prefixed = /^(group|tag|kind):(.+)$/.exec(core);
  if (prefixed) {
    const [, field, value] = prefixed;
    if (field === 'group') return assets.filter((a) => a.group === value).map((a) => a.key);
    if (field === 'tag') return assets.filter((a) => a.tags.includes(value!)).map((a) => a.key);
    return assets.filter((a) => a.kind === value).map((a) => a.key);
  }
  if (core.includes('*')) {
    const re = new RegExp(`^${core.split('*').map(escapeRegExp).join('.*')}$`);
    return assets.map((a) => a.key).filter((k) => re.test(k));
  }
  return graph.assets.has(core) ? [core] : [];
}

function walk(start: string, next: (key: string) => readonly string[], depth: number, into: Set<string>): void {
  let frontier = [start];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const following: string[] = [];
    for (const key of frontier) {
      for (const k of next(key)) {
        if (!into.has(k)) {
          into.add(k);
          following.push(k);
        }
      }
    }
    frontier = following;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function suggestion(term: string, keys: string[]): string {
  const bare = term.replace(/^\d*\+|\+\d*$/g, '');
  const close = keys
    .map((k) => ({ k, d: Math.min(editDistance(k, bare), editDistance(k.split('/').pop() ?? k, bare)) }))
    .filter((x) => x.d <= 3 || x.k.includes(bare))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((x) => x.k);
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
}
