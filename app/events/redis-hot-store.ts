import { Redis } from 'ioredis';
import { ConfigError, redactText } from '../../core/index.js';
import { RECENT_VIEWS, SESSION_TTL_MS, sessionChange, toState, type HotStore } from './hot-store.js';

const VIEWS_TTL_MS = 30 * 86_400_000;

// One session update, atomic and order-proof: a late event never moves last_event_at back.
const RECORD_SESSION = `
local k = KEYS[1]
if redis.call('HSETNX', k, 'session_id', ARGV[1]) == 1 then
  redis.call('HSET', k, 'started_at', ARGV[3], 'last_event_at', ARGV[3], 'last_event', ARGV[4], 'events', 0, 'purchases', 0, 'revenue_usd', '0')
end
if ARGV[2] ~= '' then redis.call('HSETNX', k, 'user_id', ARGV[2]) end
redis.call('HINCRBY', k, 'events', 1)
if ARGV[3] < redis.call('HGET', k, 'started_at') then redis.call('HSET', k, 'started_at', ARGV[3]) end
if ARGV[3] >= redis.call('HGET', k, 'last_event_at') then redis.call('HSET', k, 'last_event_at', ARGV[3], 'last_event', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', k, 'game_id', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', k, 'platform', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('SADD', KEYS[2], ARGV[7]) end
if ARGV[8] ~= '' then redis.call('SREM', KEYS[2], ARGV[8]) end
if ARGV[9] == '1' then
  redis.call('HINCRBY', k, 'purchases', 1)
  redis.call('HINCRBYFLOAT', k, 'revenue_usd', ARGV[10])
end
redis.call('PEXPIRE', k, ARGV[11])
redis.call('PEXPIRE', KEYS[2], ARGV[11])
if ARGV[2] ~= '' then
  local u = KEYS[3]
  local seen = redis.call('HGET', u, 'at')
  if (not seen) or ARGV[3] >= seen then redis.call('HSET', u, 'session', ARGV[1], 'at', ARGV[3]) end
  redis.call('PEXPIRE', u, ARGV[11])
end
return 1
`;

type WithScript = Redis & { gmpRecordSession(session: string, cart: string, user: string, ...args: string[]): Promise<number> };

/**
 * The hot path in Redis (`GMP_HOT_URL=redis://…`), shared by every collector and server: recent
 * views as a sorted set per player (`ZADD GT`, trimmed to 10), sessions as hashes updated by one
 * Lua script each, all of a batch in one pipelined round trip. Keys expire (views after 30 days of
 * no view, sessions 24 hours after their last event).
 */
export async function openRedisHotStore(url: string, options: { prefix?: string } = {}): Promise<HotStore> {
  const prefix = options.prefix ?? 'gmp:';
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  const safe = parsed.toString();
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 }) as WithScript;
  // Errors are reported by the calls that meet them, with the URL redacted; not logged twice.
  redis.on('error', () => undefined);
  redis.defineCommand('gmpRecordSession', { numberOfKeys: 3, lua: RECORD_SESSION });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(`GMP_HOT_URL: cannot reach Redis at ${safe}: ${redactText(error instanceof Error ? error.message : String(error))}`, {
      hint: 'start Redis or unset GMP_HOT_URL to use the embedded hot store',
    });
  }
  const views = (user: string) => `${prefix}recent:{${user}}`;
  const session = (id: string) => `${prefix}session:{${id}}`;
  const cart = (id: string) => `${prefix}cart:{${id}}`;
  const userSession = (user: string) => `${prefix}usersession:{${user}}`;
  return {
    kind: 'redis',
    async record(events) {
      if (events.length === 0) return;
      const p = redis.pipeline();
      for (const e of events) {
        if (e.event === 'view' && e.user_id && e.game_id) {
          const key = views(e.user_id);
          p.zadd(key, 'GT', Date.parse(e.event_time), String(e.game_id));
          p.zremrangebyrank(key, 0, -(RECENT_VIEWS + 1));
          p.pexpire(key, VIEWS_TTL_MS);
        }
        if (e.session_id) {
          const change = sessionChange(e);
          const platform = (e.properties as Record<string, unknown>).platform;
          (p as unknown as WithScript).gmpRecordSession(
            session(e.session_id),
            cart(e.session_id),
            userSession(e.user_id ?? ''),
            e.session_id,
            e.user_id ?? '',
            e.event_time,
            e.event,
            change.game === undefined ? '' : String(change.game),
            typeof platform === 'string' ? platform : '',
            change.cartAdd === undefined ? '' : String(change.cartAdd),
            change.cartRemove === undefined ? '' : String(change.cartRemove),
            change.purchase ? '1' : '0',
            String(change.purchase?.revenueUsd ?? 0),
            String(SESSION_TTL_MS),
          );
        }
      }
      const results = (await p.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed) throw new Error(`Redis at ${safe} refused a hot-path update: ${failed[0]!.message}`);
    },
    async recentViews(userId, limit = RECENT_VIEWS) {
      const flat = await redis.zrevrange(views(userId), 0, limit - 1, 'WITHSCORES');
      const out = [];
      for (let i = 0; i < flat.length; i += 2) out.push({ game_id: Number(flat[i]), viewed_at: new Date(Number(flat[i + 1])).toISOString() });
      return out;
    },
    async session(sessionId, now) {
      const [h, members] = await Promise.all([redis.hgetall(session(sessionId)), redis.smembers(cart(sessionId))]);
      if (!h.session_id) return null;
      return toState(
        {
          session_id: h.session_id,
          user_id: h.user_id ?? null,
          started_at: h.started_at!,
          last_event_at: h.last_event_at!,
          last_event: h.last_event!,
          events: Number(h.events),
          game_id: h.game_id ? Number(h.game_id) : null,
          platform: h.platform ?? null,
          cart: members.map(Number),
          purchases: Number(h.purchases),
          revenue_usd: Math.round(Number(h.revenue_usd) * 100) / 100,
        },
        now,
      );
    },
    async latestSession(userId) {
      return (await redis.hget(userSession(userId), 'session')) ?? null;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
