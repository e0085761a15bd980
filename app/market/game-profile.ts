import { getGame, numberOrNull, withReader, type GameDetail } from './market.js';
import type { Workspace } from '../workspace.js';

export interface GameProfile extends GameDetail {
  /** RAWG's description (HTML), reduced to text structure and http(s) links: safe to put in a page. */
  descriptionHtml: string | null;
  website: string | null;
  /** The game's metrics on each day it changed (fct_game_daily_snapshot), oldest first. */
  history: { dt: string; rating: number | null; ratings_count: number | null; added: number | null }[];
  /** Games sharing the most genres and tags with it, then the most rated. */
  similar: { id: number; name: string; shared: number; rating: number | null }[];
}

/** What RAWG's description may keep: text structure and links, never scripts, styles, images or handlers. */
const SANITIZE = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'h3', 'h4', 'h5', 'blockquote'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  // Headings of a description sit under the page's own: h1/h2 become h3.
  transformTags: { h1: 'h3', h2: 'h3', h6: 'h5' },
};

export async function sanitizeDescription(raw: string): Promise<string> {
  const { default: sanitize } = await import('sanitize-html');
  return sanitize(raw, {
    ...SANITIZE,
    allowedTags: [...SANITIZE.allowedTags, 'a'],
    transformTags: {
      ...SANITIZE.transformTags,
      a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow noopener noreferrer' } }),
    },
  });
}

/** The game page's data: the game, its sanitized description, its history and similar games. */
export async function gameProfile(ws: Workspace, id: number): Promise<GameProfile> {
  const game = await getGame(ws, id);
  // No details fetched yet, an older warehouse, or a run holding it (staging is not published for
  // readers): the page goes without.
  const [detail] = await withReader(ws, (w) =>
    w.query(`SELECT description, website FROM staging.stg_rawg__game_details WHERE game_id = ?`, { params: [id] }),
  ).catch(() => []);
  const extra = await withReader(ws, async (w) => {
    const history = await w.query(
      `SELECT CAST(dt AS VARCHAR) AS dt, rating, ratings_count, added FROM marts.fct_game_daily_snapshot WHERE game_id = ? ORDER BY dt`,
      { params: [id] },
    );
    const similar = await w.query(
      `WITH links AS (
         SELECT game_id, 'genre' AS kind, genre_id AS ref FROM marts.bridge_game_genres
         UNION ALL SELECT game_id, 'tag', tag_id FROM marts.bridge_game_tags),
       mine AS (SELECT kind, ref FROM links WHERE game_id = ?)
       SELECT g.game_id, g.name, g.rating, count(*) AS shared
       FROM links l JOIN mine m ON m.kind = l.kind AND m.ref = l.ref JOIN marts.dim_games g ON g.game_id = l.game_id
       WHERE l.game_id <> ? GROUP BY g.game_id, g.name, g.rating, g.ratings_count
       ORDER BY shared DESC, g.ratings_count DESC NULLS LAST, g.game_id LIMIT 8`,
      { params: [id, id] },
    );
    return { history, similar };
  });
  const description = detail?.description;
  return {
    ...game,
    descriptionHtml: typeof description === 'string' && description.trim() !== '' ? await sanitizeDescription(description) : null,
    website: typeof detail?.website === 'string' && /^https?:\/\//.test(detail.website) ? detail.website : null,
    history: extra.history.map((r) => ({ dt: String(r.dt), rating: numberOrNull(r.rating), ratings_count: numberOrNull(r.ratings_count), added: numberOrNull(r.added) })),
    similar: extra.similar.map((r) => ({ id: Number(r.game_id), name: String(r.name), shared: Number(r.shared), rating: numberOrNull(r.rating) })),
  };
}
