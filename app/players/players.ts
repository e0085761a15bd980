import { isUnpublishedRelationError, type Row } from '../../warehouse/index.js';
import { numberOrNull, withReader, type Reader } from '../market/market.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';

export interface PlayerSummary {
  user_id: string;
  persona: string | null;
  engagement_score: number;
  events_7d: number;
  preferred_platform: string | null;
  top_genres: string | null;
  price_sensitivity: number | null;
  revenue_usd: number;
  first_seen_at: string | null;
  last_seen_at: string | null;
}

export interface PlayerProfile extends PlayerSummary {
  /** The 10 games viewed last, newest first (from the marts; the page prefers the live hot path). */
  recent_views: { game_id: number; name: string | null; viewed_at: string }[];
  sessions: { started_at: string; ended_at: string; duration_seconds: number; events: number; games: number; purchases: number; revenue_usd: number; platform: string | null }[];
  purchases: { purchased_at: string; game_id: number | null; game_name: string | null; kind: string; item: string | null; amount: number; currency_code: string; currency_type: string }[];
}

export interface PlayersPage {
  players: PlayerSummary[];
  total: number;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** A warehouse TIMESTAMP (UTC, `2026-11-28 15:29:48.09`) as ISO 8601. */
function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v).replace(' ', 'T');
  const d = new Date(/Z$|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

function summary(r: Row): PlayerSummary {
  return {
    user_id: String(r.user_id),
    persona: text(r.persona),
    engagement_score: Number(r.engagement_score ?? 0),
    events_7d: Number(r.events_7d ?? 0),
    preferred_platform: text(r.preferred_platform),
    top_genres: text(r.top_genres),
    price_sensitivity: numberOrNull(r.price_sensitivity),
    revenue_usd: Number(r.revenue_usd ?? 0),
    first_seen_at: iso(r.first_seen_at),
    last_seen_at: iso(r.last_seen_at),
  };
}

/** True when the player marts exist in the published data (a project that collected events and ran them). */
async function hasPlayerMarts(w: Reader): Promise<boolean> {
  const rows = await w.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'marts' AND table_name = 'mart_customer_insights'`);
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Players from `marts.mart_customer_insights`, most engaged first (then by revenue), optionally
 * those whose id contains `q`. Null when the player marts were never built.
 */
export async function listPlayers(ws: Workspace, options: { q?: string; limit?: number; offset?: number } = {}): Promise<PlayersPage | null> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const offset = Math.max(options.offset ?? 0, 0);
  return withReader(ws, async (w) => {
    if (!(await hasPlayerMarts(w))) return null;
    const where = options.q ? `WHERE lower(user_id) LIKE ? ESCAPE '\\'` : '';
    const params = options.q ? [`%${options.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`] : [];
    const [count] = await w.query(`SELECT count(*) AS n FROM marts.mart_customer_insights ${where}`, { params });
    const rows = await w.query(
      `SELECT * FROM marts.mart_customer_insights ${where} ORDER BY engagement_score DESC, revenue_usd DESC, user_id LIMIT ${limit} OFFSET ${offset}`,
      { params },
    );
    return { players: rows.map(summary), total: Number(count?.n ?? 0) };
  });
}

/** One player's insights, last viewed games, sessions and purchases; null when no such player (or no player marts). */
export async function playerProfile(ws: Workspace, userId: string): Promise<PlayerProfile | null> {
  const profile = await withReader(ws, async (w) => {
    if (!(await hasPlayerMarts(w))) return null;
    const [row] = await w.query(`SELECT * FROM marts.mart_customer_insights WHERE user_id = ?`, { params: [userId] });
    if (!row) return null;
    const [sessions, purchases] = await Promise.all([
      w.query(`SELECT * FROM marts.fct_sessions WHERE user_id = ? ORDER BY started_at DESC LIMIT 10`, { params: [userId] }),
      w.query(
        `SELECT p.*, g.name AS game_name FROM marts.fct_purchases AS p LEFT JOIN marts.dim_games AS g ON g.game_id = p.game_id
         WHERE p.user_id = ? ORDER BY p.purchased_at DESC LIMIT 10`,
        { params: [userId] },
      ),
    ]);
    return {
      ...summary(row),
      sessions: sessions.map((s) => ({
        started_at: iso(s.started_at)!, ended_at: iso(s.ended_at)!, duration_seconds: Number(s.duration_seconds), events: Number(s.events),
        games: Number(s.games), purchases: Number(s.purchases), revenue_usd: Number(s.revenue_usd ?? 0), platform: text(s.platform),
      })),
      purchases: purchases.map((p) => ({
        purchased_at: iso(p.purchased_at)!, game_id: numberOrNull(p.game_id), game_name: text(p.game_name), kind: String(p.purchase_kind), item: text(p.item),
        amount: Number(p.amount), currency_code: String(p.currency_code), currency_type: String(p.currency_type),
      })),
    };
  });
  if (profile === null) return null;
  // staging is not published for readers: while a run holds the warehouse the page goes without.
  const views = await withReader(ws, (w) =>
    w.query(
      `SELECT v.game_id, g.name, v.viewed_at FROM (
         SELECT game_id, max(event_time) AS viewed_at FROM staging.stg_events
         WHERE user_id = ? AND event_name = 'view' AND game_id IS NOT NULL GROUP BY game_id
       ) AS v LEFT JOIN marts.dim_games AS g ON g.game_id = v.game_id
       ORDER BY v.viewed_at DESC, v.game_id LIMIT 10`,
      { params: [userId] },
    ),
  ).catch((error: unknown) => {
    if (isUnpublishedRelationError(error)) return [];
    throw error;
  });
  return { ...profile, recent_views: views.map((v) => ({ game_id: Number(v.game_id), name: text(v.name), viewed_at: iso(v.viewed_at)! })) };
}

/** Names of RAWG games by id (for the live recent views of the hot path). */
export async function gameNames(ws: Workspace, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  return withReader(ws, async (w) => {
    const rows = await w.query(`SELECT game_id, name FROM marts.dim_games WHERE game_id IN (${ids.map(() => '?').join(', ')})`, { params: [...ids] }).catch(() => []);
    return new Map(rows.map((r) => [Number(r.game_id), String(r.name)]));
  });
}

/** When the player marts were last rebuilt (the newest succeeded mart_engagement_daily), for pages that refresh themselves. */
export async function playerDataVersion(ws: Workspace): Promise<string | null> {
  if (!stateExists(ws)) return null;
  const state = await openStateStore(ws);
  try {
    const [latest] = await state.listMaterializations({ asset: 'marts/mart_engagement_daily', status: 'succeeded', limit: 1, newestFirst: true });
    return latest ? `${latest.runId}@${latest.endedAt}` : null;
  } finally {
    await state.close();
  }
}
