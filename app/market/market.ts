import { createHash } from 'node:crypto';
import { UsageError, warehouseNamespace } from '../../core/index.js';
import { isUnpublishedRelationError, type Row, type Warehouse } from '../../warehouse/index.js';
import { csvLine } from '../csv.js';
import { pullChunks } from '../pull-chunks.js';
import { openReader } from '../query.js';
import { withPinnedSnapshot } from './pinned-reader.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { decodeGamesCursor, encodeGamesCursor, gameFilterSql, gamesOrderedSql, gamesPageSql, parseOrdering, TAXONOMIES, TAXONOMY_NAMES, type GameFilters, type Taxonomy } from './games-query.js';

/** Which run the marts come from and when it finished: every data page and ETag says so. */
export interface DataVersion {
  runId: string;
  publishedAt: string;
  /** Short and opaque: the ETag and the cache key. */
  tag: string;
}

export interface GameSummary {
  id: number;
  slug: string;
  name: string;
  released: string | null;
  tba: boolean;
  rating: number | null;
  ratings_count: number | null;
  metacritic: number | null;
  playtime: number | null;
  added: number | null;
  esrb_rating: string | null;
  background_image: string | null;
  updated: string | null;
  genres: { slug: string; name: string }[];
  parent_platforms: { slug: string; name: string }[];
}

export interface GamesPage {
  games: GameSummary[];
  /** Games matching the filters, all pages together. */
  total: number;
  next: string | null;
  data: DataVersion | null;
}

export interface GamesQuery extends GameFilters {
  ordering?: string;
  page_size?: number;
  cursor?: string;
}

/** The latest run that built `marts/dim_games`; null before any did. */
export async function dataVersion(ws: Workspace): Promise<DataVersion | null> {
  if (!stateExists(ws)) return null;
  const state = await openStateStore(ws);
  try {
    const [latest] = await state.listMaterializations({ asset: 'marts/dim_games', status: 'succeeded', limit: 1, newestFirst: true });
    if (!latest) return null;
    return { runId: latest.runId, publishedAt: latest.endedAt, tag: createHash('sha256').update(`${latest.runId}@${latest.endedAt}`).digest('base64url').slice(0, 16) };
  } finally {
    await state.close();
  }
}

export const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toSummary(r: Row, genres: Map<number, GameSummary['genres']>, parents: Map<number, GameSummary['parent_platforms']>): GameSummary {
  const id = Number(r.game_id);
  return {
    id,
    slug: String(r.slug),
    name: String(r.name),
    released: textOrNull(r.released),
    tba: r.tba === true,
    rating: numberOrNull(r.rating),
    ratings_count: numberOrNull(r.ratings_count),
    metacritic: numberOrNull(r.metacritic),
    playtime: numberOrNull(r.playtime),
    added: numberOrNull(r.added),
    esrb_rating: textOrNull(r.esrb_rating),
    background_image: textOrNull(r.background_image),
    updated: textOrNull(r.updated_at),
    genres: genres.get(id) ?? [],
    parent_platforms: parents.get(id) ?? [],
  };
}

/**
 * Games of the marts, filtered, sorted on any documented column (`-` descending, games without a
 * value last, the id as tiebreak), a page of at most 100 at a time with the total count. Read
 * from what readers see (never waiting for a run); every value is a bound parameter.
 */
export async function searchGames(ws: Workspace, query: GamesQuery): Promise<GamesPage> {
  const pageSize = Math.min(100, Math.max(1, Math.floor(query.page_size ?? 24)));
  const after = query.cursor ? decodeGamesCursor(query.cursor) : undefined;
  const page = gamesPageSql(query, query.ordering, pageSize, after);
  const count = gameFilterSql(query);
  const version = await dataVersion(ws);
  // The total depends on the filters only: paging and re-sorting reuse it while the data stands.
  const countKey = `${warehouseNamespace(ws.config.warehouse)}|${version?.tag ?? ''}|${count.sql}|${JSON.stringify(count.params)}`;
  const result = await withReader(ws, async (w) => {
    const hits = await w.query(page.sql, { params: page.params });
    const shownIds = hits.slice(0, pageSize).map((r) => Number(r.game_id));
    const total =
      totals.get(countKey) ?? Number(((await w.query(`SELECT count(*) AS n FROM marts.dim_games g ${count.sql}`, { params: count.params })) as [{ n: number }])[0].n);
    remember(countKey, total);
    if (shownIds.length === 0) return { hits, rows: [], total, genres: new Map(), parents: new Map() };
    const marks = shownIds.map(() => '?').join(', ');
    const byId = new Map((await w.query(`SELECT * FROM marts.dim_games WHERE game_id IN (${marks})`, { params: shownIds })).map((r) => [Number(r.game_id), r]));
    const [genres, parents] = [await namesOf(w, 'genres', shownIds), await parentPlatformsOf(w, shownIds)];
    return { hits, rows: shownIds.map((id) => byId.get(id)!), total, genres, parents };
  });
  const last = result.hits[pageSize - 1];
  const sortValue = (v: unknown): string | number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v));
  return {
    games: result.rows.map((r) => toSummary(r, result.genres, result.parents)),
    total: result.total,
    next: result.hits.length > pageSize && last ? encodeGamesCursor({ v: sortValue(last.sort_value), id: Number(last.game_id) }) : null,
    data: version,
  };
}

/** Filtered totals by warehouse, data version and filters (a count scans every game). */
const totals = new Map<string, number>();
function remember(key: string, total: number): void {
  totals.delete(key);
  totals.set(key, total);
  if (totals.size > 1000) totals.delete(totals.keys().next().value!);
}

/** What a read through the readers' view may use: the warehouse, held for the whole `work`. */
export type Reader = Pick<Warehouse, 'query' | 'queryTable' | 'eachChunk' | 'dialect'>;

/**
 * Runs `work` on the readers' view of the warehouse: the published marts kept open across requests
 * when there are (never waiting for a run), else — or when `work` reads raw or staging, which are
 * not published — the warehouse opened for this read (read-only; the publication while a run holds
 * it, where such a `work` fails with WarehouseError WAREHOUSE_BUSY: isUnpublishedRelationError).
 */
export async function withReader<T>(ws: Workspace, work: (w: Reader) => Promise<T>): Promise<T> {
  const fast = await withPinnedSnapshot(ws, work).catch((error: unknown) => {
    if (isUnpublishedRelationError(error)) return null;
    throw error;
  });
  if (fast) return fast.value;
  const reader = openReader(ws);
  try {
    return await reader.use((w) => work(w));
  } finally {
    await reader.close();
  }
}

async function namesOf(w: Reader, taxonomy: Taxonomy, ids: readonly number[]): Promise<Map<number, { slug: string; name: string }[]>> {
  const t = TAXONOMIES[taxonomy];
  const rows = await w.query(
    `SELECT b.game_id, d.slug, d.name FROM marts.${t.bridge} b JOIN marts.${t.dim} d ON d.${t.key} = b.${t.key}
     WHERE b.game_id IN (${ids.map(() => '?').join(', ')}) ORDER BY b.game_id, d.name`,
    { params: [...ids] },
  );
  return groupNames(rows);
}

async function parentPlatformsOf(w: Reader, ids: readonly number[]): Promise<Map<number, { slug: string; name: string }[]>> {
  const rows = await w.query(
    `SELECT DISTINCT b.game_id, d.parent_platform_slug AS slug, d.parent_platform_name AS name
     FROM marts.bridge_game_platforms b JOIN marts.dim_platforms d ON d.platform_id = b.platform_id
     WHERE b.game_id IN (${ids.map(() => '?').join(', ')}) AND d.parent_platform_slug IS NOT NULL ORDER BY 1, 3`,
    { params: [...ids] },
  );
  return groupNames(rows);
}

function groupNames(rows: Row[]): Map<number, { slug: string; name: string }[]> {
  const out = new Map<number, { slug: string; name: string }[]>();
  for (const r of rows) {
    const id = Number(r.game_id);
    const list = out.get(id) ?? [];
    list.push({ slug: String(r.slug), name: String(r.name) });
    out.set(id, list);
  }
  return out;
}

export interface GameDetail extends GameSummary {
  rating_top: number | null;
  reviews_text_count: number | null;
  last_seen_dt: string | null;
  platforms: { slug: string; name: string }[];
  stores: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
  developers: { slug: string; name: string }[];
  publishers: { slug: string; name: string }[];
  data: DataVersion | null;
}

/** Everything the marts know of one game; NOT_FOUND when they have no such id. */
export async function getGame(ws: Workspace, id: number): Promise<GameDetail> {
  const [version, detail] = await Promise.all([
    dataVersion(ws),
    withReader(ws, async (w) => {
      const [row] = await w.query('SELECT * FROM marts.dim_games g WHERE g.game_id = ?', { params: [id] });
      if (!row) throw new UsageError(`no game ${id} in the marts`, { code: 'NOT_FOUND', hint: 'find games with GET /api/v1/games?search=…' });
      const lists = await Promise.all(TAXONOMY_NAMES.map((t) => namesOf(w, t, [id])));
      const parents = await parentPlatformsOf(w, [id]);
      return { row, lists, parents };
    }),
  ]);
  const [genres, platforms, stores, tags, developers, publishers] = detail.lists.map((m) => m.get(id) ?? []);
  return {
    ...toSummary(detail.row, new Map([[id, genres!]]), detail.parents),
    rating_top: numberOrNull(detail.row.rating_top),
    reviews_text_count: numberOrNull(detail.row.reviews_text_count),
    last_seen_dt: textOrNull(detail.row.last_seen_dt),
    platforms: platforms!,
    stores: stores!,
    tags: tags!,
    developers: developers!,
    publishers: publishers!,
    data: version,
  };
}

export interface TaxonomyEntry {
  slug: string;
  name: string;
  /** Games of the marts linked to it. */
  games: number;
}

/** One list (genres, platforms, …) with how many games each has in the marts, the most first. */
export async function listTaxonomy(ws: Workspace, taxonomy: Taxonomy | 'parent_platforms'): Promise<TaxonomyEntry[]> {
  const sql =
    taxonomy === 'parent_platforms'
      ? `SELECT d.parent_platform_slug AS slug, max(d.parent_platform_name) AS name, count(DISTINCT b.game_id) AS games
         FROM marts.dim_platforms d LEFT JOIN marts.bridge_game_platforms b ON b.platform_id = d.platform_id
         WHERE d.parent_platform_slug IS NOT NULL GROUP BY 1 ORDER BY games DESC, name`
      : `SELECT d.slug, d.name, count(b.game_id) AS games FROM marts.${TAXONOMIES[taxonomy].dim} d
         LEFT JOIN marts.${TAXONOMIES[taxonomy].bridge} b ON b.${TAXONOMIES[taxonomy].key} = d.${TAXONOMIES[taxonomy].key}
         WHERE d.slug IS NOT NULL GROUP BY d.slug, d.name ORDER BY games DESC, d.name`;
  const rows = await withReader(ws, (w) => w.query(sql));
  return rows.map((r) => ({ slug: String(r.slug), name: String(r.name), games: Number(r.games) }));
}

export interface MarketKpis {
  games: number;
  /** Over rated games (RAWG's 0 is "unrated"), 2 decimals; null when none is rated. */
  averageRating: number | null;
  /** 1 decimal; null when none has a Metacritic score. */
  averageMetacritic: number | null;
  /** Released in the current calendar year (UTC) of the workspace's clock. */
  releasedThisYear: number;
  year: number;
}

/** The explorer's cards over the filtered games, in one scan. */
export async function marketKpis(ws: Workspace, filters: GameFilters): Promise<MarketKpis> {
  const where = gameFilterSql(filters);
  const year = ws.clock.now().getUTCFullYear();
  const [row] = await withReader(ws, (w) =>
    w.query(
      `SELECT count(*) AS games, round(cast(avg(CASE WHEN g.rating > 0 THEN g.rating END) as decimal(18, 6)), 2) AS average_rating, round(cast(avg(g.metacritic) as decimal(18, 6)), 1) AS average_metacritic,
         sum(CASE WHEN extract(year FROM g.released) = ? THEN 1 ELSE 0 END) AS released_this_year
       FROM marts.dim_games g ${where.sql}`,
      { params: [year, ...where.params] },
    ),
  );
  return {
    games: Number(row?.games ?? 0),
    averageRating: numberOrNull(row?.average_rating),
    averageMetacritic: numberOrNull(row?.average_metacritic),
    releasedThisYear: Number(row?.released_this_year ?? 0),
    year,
  };
}

const CSV_COLUMNS = ['game_id', 'slug', 'name', 'released', 'tba', 'rating', 'ratings_count', 'metacritic', 'playtime', 'added', 'esrb_rating', 'updated_at'] as const;

/**
 * Every game the filters keep, in the requested order, as CSV lines: one ordered query streamed
 * chunk by chunk where the engine streams (DuckDB), else pages of 2,000 read by keyset — memory
 * stays flat whatever the size of the set.
 */
export async function* exportGamesCsv(ws: Workspace, query: GamesQuery, options: { signal?: AbortSignal } = {}): AsyncGenerator<string> {
  parseOrdering(query.ordering); // a bad ordering fails before the header goes out
  yield csvLine(CSV_COLUMNS);
  const ordered = gamesOrderedSql(query, query.ordering, CSV_COLUMNS);
  let streamed = false;
  yield* pullChunks<string>((push) =>
    withReader(ws, async (w) => {
      if (!w.eachChunk) return;
      streamed = true;
      await w.eachChunk(ordered.sql, { params: ordered.params, ...(options.signal ? { signal: options.signal } : {}) }, (_columns, rows) => push(rows.map((r) => csvLine(r)).join('')));
    }),
  );
  if (streamed) return;
  let cursor: string | undefined;
  const chunk = 2000;
  for (;;) {
    if (options.signal?.aborted) return;
    const after = cursor ? decodeGamesCursor(cursor) : undefined;
    const page = gamesPageSql(query, query.ordering, chunk, after);
    const rows = await withReader(ws, async (w) => {
      const hits = await w.query(page.sql, { params: page.params });
      const ids = hits.slice(0, chunk).map((r) => Number(r.game_id));
      if (ids.length === 0) return { hits, rows: [] as Row[] };
      const byId = new Map((await w.query(`SELECT ${CSV_COLUMNS.join(', ')} FROM marts.dim_games WHERE game_id IN (${ids.map(() => '?').join(', ')})`, { params: ids })).map((r) => [Number(r.game_id), r]));
      return { hits, rows: ids.map((id) => byId.get(id)!) };
    });
    if (rows.rows.length > 0) yield rows.rows.map((r) => csvLine(CSV_COLUMNS.map((c) => r[c]))).join('');
    if (rows.hits.length <= chunk) return;
    const last = rows.hits[chunk - 1]!;
    cursor = encodeGamesCursor({ v: last.sort_value === null || last.sort_value === undefined ? null : typeof last.sort_value === 'number' ? last.sort_value : String(last.sort_value), id: Number(last.game_id) });
  }
}
