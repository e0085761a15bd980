import { UsageError, editDistance } from '../../core/index.js';
import type { AssetGraph } from '../graph/index.js';

/**
 * Resolves a selection to asset keys in graph order. Syntax (Dagster's): `key`, `key+` (and all
 * downstream), `+key` (and all upstream), `+key+`, `group:name`, globs (`marts/*`), several terms
 * separated by spaces or commas (union). Unknown terms throw UsageError with suggestions.
 */
export function selectAssets(graph: AssetGraph, selection: string): string[] {
  const terms = selection.split(/[\s,]+/).filter((t) => t !== '');
  if (terms.length === 0) throw new UsageError('empty selection: name assets like rawg/games+ or group:rawg', { code: 'SELECTION_INVALID' });
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
    throw new UsageError(`no asset matches ${detail}`, {
      code: 'SELECTION_INVALID',
      hint: 'list assets with `gmp assets`; selection syntax: key, key+, +key, group:name, marts/*',
    });
  }
  return graph.order.filter((k) => chosen.has(k));
}

function resolveTerm(graph: AssetGraph, term: string): string[] {
  const up = term.startsWith('+');
  const down = term.endsWith('+') && term.length > 1;
  const core = term.slice(up ? 1 : 0, down ? -1 : undefined);
  let base: string[];
  if (core.startsWith('group:')) {
    const group = core.slice('group:'.length);
    base = [...graph.assets.values()].filter((a) => a.group === group).map((a) => a.key);
  } else if (core.includes('*')) {
    const re = new RegExp(`^${core.split('*').map(escapeRegExp).join('.*')}$`);
    base = [...graph.assets.keys()].filter((k) => re.test(k));
  } else {
    base = graph.assets.has(core) ? [core] : [];
  }
  const out = new Set(base);
  if (up) for (const k of base) walk(k, (x) => graph.upstream(x).map((d) => d.key), out);
  if (down) for (const k of base) walk(k, (x) => graph.downstream(x), out);
  return [...out];
}

function walk(start: string, next: (key: string) => readonly string[], into: Set<string>): void {
  const stack = [start];
  while (stack.length > 0) {
    for (const k of next(stack.pop()!)) {
      if (!into.has(k)) {
        into.add(k);
        stack.push(k);
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function suggestion(term: string, keys: string[]): string {
  const bare = term.replace(/^\+|\+$/g, '');
  const close = keys
    .map((k) => ({ k, d: Math.min(editDistance(k, bare), editDistance(k.split('/').pop() ?? k, bare)) }))
    .filter((x) => x.d <= 3 || x.k.includes(bare))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((x) => x.k);
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
}
