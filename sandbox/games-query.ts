import type { DayRange, GamesSelection, LinkFilter, OrderField } from './catalogue.js';
import type { Taxonomy, TaxonomyKind } from './taxonomy.js';
import { parseDay } from './utc-day.js';

/** Parameters that never make a `/games` request "filtered" (they keep the full item shape). */
const NON_FILTERS = new Set(['key', 'page', 'page_size', 'ordering']);
const ORDER_FIELDS = new Set<string>(['name', 'released', 'added', 'created', 'updated', 'rating', 'metacritic']);
const LINK_PARAMS: readonly [string, LinkFilter, TaxonomyKind | 'parents'][] = [
  ['genres', 'genres', 'genres'],
  ['platforms', 'platforms', 'platforms'],
  ['parent_platforms', 'parentPlatforms', 'parents'],
  ['stores', 'stores', 'stores'],
  ['tags', 'tags', 'tags'],
  ['developers', 'developers', 'developers'],
  ['publishers', 'publishers', 'publishers'],
];
// Matches no game: an unknown genre id must give an empty result, not an unfiltered one.
const NO_MATCH = -1;

export type GamesQuery =
  | { ok: true; selection: GamesSelection; slim: boolean; withScore: boolean }
  | { ok: false; status: number; body: Record<string, unknown> };

/** Turns `/games` query parameters into a catalogue selection, or a 400 body for a bad date range. */
export function parseGamesQuery(params: URLSearchParams, taxonomy: Taxonomy): GamesQuery {
  const selection: GamesSelection = { ordering: { field: 'added', desc: true } };
  const slim = [...params].some(([name, value]) => !NON_FILTERS.has(name) && value !== '');

  for (const name of ['updated', 'dates'] as const) {
    const raw = params.get(name);
    if (raw === null || raw === '') continue;
    const ranges = parseRanges(raw);
    if (ranges === undefined) return { ok: false, status: 400, body: { [name]: ['Enter a valid date range: YYYY-MM-DD,YYYY-MM-DD (several joined by ".").'] } };
    selection[name] = ranges;
  }
  const search = params.get('search')?.trim().toLowerCase();
  if (search !== undefined && search !== '') selection.search = search;

  for (const [param, filter, kind] of LINK_PARAMS) {
    const raw = params.get(param);
    if (raw === null || raw === '') continue;
    const wanted = raw
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => (kind === 'parents' ? parentIndex(taxonomy, v) : taxonomy.indexOf(kind, v)))
      .filter((k): k is number => k !== undefined);
    selection.links = { ...selection.links, [filter]: wanted.length === 0 ? [NO_MATCH] : wanted };
  }

  const ordering = params.get('ordering')?.trim() ?? '';
  const desc = ordering.startsWith('-');
  const field = desc ? ordering.slice(1) : ordering;
  if (ORDER_FIELDS.has(field)) selection.ordering = { field: field as OrderField, desc };

  return { ok: true, selection, slim, withScore: selection.search !== undefined };
}

function parseRanges(raw: string): DayRange[] | undefined {
  const ranges: DayRange[] = [];
  for (const part of raw.split('.')) {
    const [from, to, extra] = part.split(',');
    if (from === undefined || to === undefined || extra !== undefined) return undefined;
    const a = parseDay(from.trim());
    const b = parseDay(to.trim());
    if (a === undefined || b === undefined) return undefined;
    ranges.push([a, b]);
  }
  return ranges;
}

function parentIndex(taxonomy: Taxonomy, value: string): number | undefined {
  const k = taxonomy.parentPlatforms.findIndex((p) => String(p.id) === value || p.slug === value);
  return k < 0 ? undefined : k;
}
