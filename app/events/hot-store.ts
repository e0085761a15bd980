import type { CollectedEvent } from '../../ingestion/index.js';

/** Views kept per player, newest first (seed 003: the last viewed games). */
export const RECENT_VIEWS = 10;
/** A session with no event for this long is idle; its state is forgotten after SESSION_TTL_MS. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export interface RecentView {
  game_id: number;
  viewed_at: string;
}

/** A session as the events so far tell it (seed 003's live session state). */
export interface SessionState {
  session_id: string;
  user_id: string | null;
  started_at: string;
  last_event_at: string;
  last_event: string;
  events: number;
  /** The game being played (the last game_start), else the last game the session touched. */
  game_id: number | null;
  platform: string | null;
  /** Games in the cart: added and neither removed nor bought since. */
  cart: number[];
  purchases: number;
  /** Real-money purchases in USD. */
  revenue_usd: number;
  /** `idle` once SESSION_IDLE_MS passed without an event (a new event makes it active again). */
  status: 'active' | 'idle';
}

/**
 * The hot path: what the API answers within a second of an event, before any run. Fed by the
 * collector after each batch is durable; an embedded store by default, Redis when collectors share.
 */
export interface HotStore {
  readonly kind: 'embedded' | 'redis';
  record(events: readonly CollectedEvent[]): Promise<void>;
  recentViews(userId: string, limit?: number): Promise<RecentView[]>;
  session(sessionId: string, now: Date): Promise<SessionState | null>;
  /** The session a player's newest event belonged to (kept as long as its session). */
  latestSession(userId: string): Promise<string | null>;
  close(): Promise<void>;
}

/** What one event changes in its session; shared by both stores so they agree. */
export function sessionChange(e: CollectedEvent): { cartAdd?: number; cartRemove?: number; purchase?: { revenueUsd: number }; game?: number } {
  const p = e.properties as Record<string, unknown>;
  const game = e.game_id ?? undefined;
  switch (e.event) {
    case 'add_to_cart':
      return game === undefined ? {} : { cartAdd: game, game };
    case 'remove_from_cart':
      return game === undefined ? {} : { cartRemove: game, game };
    case 'purchase': {
      const real = p.currency_type !== 'virtual' && p.currency_code === 'USD' ? Number(p.amount) || 0 : 0;
      return { purchase: { revenueUsd: real }, ...(game !== undefined && p.item === undefined ? { cartRemove: game } : {}), ...(game !== undefined ? { game } : {}) };
    }
    default:
      return game === undefined ? {} : { game };
  }
}

const platformOf = (e: CollectedEvent): string | null => {
  const p = (e.properties as Record<string, unknown>).platform;
  return typeof p === 'string' ? p : null;
};

interface SessionRecord extends Omit<SessionState, 'status' | 'cart'> {
  cart: Set<number>;
}

/**
 * The embedded store: in this process's memory, bounded (least recently active players and
 * sessions go first), lost on restart — the lake keeps everything; this only serves the live API.
 */
export function createEmbeddedHotStore(options: { maxPlayers?: number; maxSessions?: number } = {}): HotStore {
  const maxPlayers = options.maxPlayers ?? 200_000;
  const maxSessions = options.maxSessions ?? 200_000;
  const views = new Map<string, RecentView[]>();
  const sessions = new Map<string, SessionRecord>();
  const latest = new Map<string, { session: string; at: string }>();
  // Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const touch = <V>(map: Map<string, V>, key: string, value: V, max: number): void => {
    map.delete(key);
    map.set(key, value);
    if (map.size > max) map.delete(map.keys().next().value!);
  };
  return {
    kind: 'embedded',
    async record(events) {
      for (const e of events) {
        if (e.event === 'view' && e.user_id && e.game_id) {
          const list = (views.get(e.user_id) ?? []).filter((v) => v.game_id !== e.game_id || v.viewed_at > e.event_time);
          if (!list.some((v) => v.game_id === e.game_id)) list.push({ game_id: e.game_id, viewed_at: e.event_time });
          list.sort((a, b) => (a.viewed_at < b.viewed_at ? 1 : a.viewed_at > b.viewed_at ? -1 : 0));
          touch(views, e.user_id, list.slice(0, RECENT_VIEWS), maxPlayers);
        }
        if (e.session_id && e.user_id && (latest.get(e.user_id)?.at ?? '') <= e.event_time) touch(latest, e.user_id, { session: e.session_id, at: e.event_time }, maxPlayers);
        if (e.session_id) {
          const s: SessionRecord = sessions.get(e.session_id) ?? {
            session_id: e.session_id, user_id: e.user_id, started_at: e.event_time, last_event_at: e.event_time, last_event: e.event,
            events: 0, game_id: null, platform: null, cart: new Set(), purchases: 0, revenue_usd: 0,
          };
          s.events++;
          s.user_id ??= e.user_id;
          if (e.event_time < s.started_at) s.started_at = e.event_time;
          if (e.event_time >= s.last_event_at) {
            s.last_event_at = e.event_time;
            s.last_event = e.event;
          }
          s.platform = platformOf(e) ?? s.platform;
          const change = sessionChange(e);
          if (change.game !== undefined) s.game_id = change.game;
          if (change.cartAdd !== undefined) s.cart.add(change.cartAdd);
          if (change.cartRemove !== undefined) s.cart.delete(change.cartRemove);
          if (change.purchase) {
            s.purchases++;
            s.revenue_usd = Math.round((s.revenue_usd + change.purchase.revenueUsd) * 100) / 100;
          }
          touch(sessions, e.session_id, s, maxSessions);
        }
      }
    },
    async recentViews(userId, limit = RECENT_VIEWS) {
      return (views.get(userId) ?? []).slice(0, limit);
    },
    async session(sessionId, now) {
      const s = sessions.get(sessionId);
      if (!s || now.getTime() - Date.parse(s.last_event_at) > SESSION_TTL_MS) return null;
      return toState(s, now);
    },
    async latestSession(userId) {
      return latest.get(userId)?.session ?? null;
    },
    async close() {
      latest.clear();
      views.clear();
      sessions.clear();
    },
  };
}

export function toState(s: Omit<SessionState, 'status' | 'cart'> & { cart: Iterable<number> }, now: Date): SessionState {
  return {
    ...s,
    cart: [...s.cart].sort((a, b) => a - b),
    status: now.getTime() - Date.parse(s.last_event_at) > SESSION_IDLE_MS ? 'idle' : 'active',
  };
}
