import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEvent, type CollectedEvent } from '../../ingestion/index.js';
import { startRedisServer, type RedisServer } from '../../tests/helpers/redis-server.js';
import { createEmbeddedHotStore, type HotStore } from './hot-store.js';
import { openRedisHotStore } from './redis-hot-store.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function event(name: string, minutes: number, fields: Record<string, unknown>, properties: Record<string, unknown> = {}): CollectedEvent {
  const checked = checkEvent({ event_id: randomUUID(), event: name, timestamp: at(minutes), properties, ...fields }, new Date(T0 + minutes * 60_000), 'test');
  if (!checked.ok) throw new Error(checked.failure.detail);
  return checked.event;
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

// The same behaviour from both stores: the embedded default and Redis.
describe.each([
  ['embedded', () => Promise.resolve(createEmbeddedHotStore())],
  ['redis', () => openRedisHotStore(redis.url, { prefix: `t${randomUUID().slice(0, 8)}:` })],
] as const)('the %s hot store', (_kind, open) => {
  let hot: HotStore;
  beforeAll(async () => {
    hot = await open();
  });
  afterAll(() => hot?.close());

  it('keeps the 10 most recently viewed games per player, newest first, each game once', async () => {
    const views = Array.from({ length: 12 }, (_, i) => event('view', i, { user_id: 'ana', game_id: 100 + i }));
    await hot.record(views);
    // Game 105 viewed again later: it moves to the top and appears once; a late view of 111 changes nothing.
    await hot.record([event('view', 20, { user_id: 'ana', game_id: 105 }), event('view', 1, { user_id: 'ana', game_id: 111 })]);
    const recent = await hot.recentViews('ana');
    expect(recent.map((v) => v.game_id)).toEqual([105, 111, 110, 109, 108, 107, 106, 104, 103, 102]);
    expect(recent[0]!.viewed_at).toBe(at(20));
    expect(await hot.recentViews('ana', 3)).toHaveLength(3);
    expect(await hot.recentViews('nobody')).toEqual([]);
  });

  it("tells a session's live state: cart, purchases, revenue, the game, idle after 30 minutes", async () => {
    const s = { user_id: 'bo', session_id: `s-${randomUUID()}` };
    await hot.record([
      event('session_start', 0, s, { platform: 'pc' }),
      event('add_to_cart', 1, { ...s, game_id: 7 }, { price: 20, currency_code: 'USD' }),
      event('add_to_cart', 2, { ...s, game_id: 8 }),
      event('remove_from_cart', 3, { ...s, game_id: 8 }),
      event('purchase', 4, { ...s, game_id: 7 }, { amount: 19.99, currency_code: 'USD' }),
      event('game_start', 5, { ...s, game_id: 7 }, { device: 'desktop', client_version: '1.0' }),
      event('purchase', 6, { ...s, game_id: 7 }, { item: 'gems', amount: 500, currency_type: 'virtual', currency_code: 'GEMS' }),
      // Late: it happened before the last event, so it does not become the last one.
      event('heartbeat', 2, { ...s, game_id: 7 }, { fps: 60, latency_ms: 30 }),
    ]);
    const live = await hot.session(s.session_id, new Date(T0 + 10 * 60_000));
    expect(live).toEqual({
      session_id: s.session_id, user_id: 'bo', started_at: at(0), last_event_at: at(6), last_event: 'purchase', events: 8,
      game_id: 7, platform: 'pc', cart: [], purchases: 2, revenue_usd: 19.99, status: 'active',
    });
    expect((await hot.session(s.session_id, new Date(T0 + 40 * 60_000)))?.status).toBe('idle');
    expect(await hot.session('never-seen', new Date(T0))).toBeNull();
    expect(await hot.latestSession('bo')).toBe(s.session_id);
    expect(await hot.latestSession('nobody')).toBeNull();
  });
});

describe('the Redis hot store', () => {
  it('refuses an unreachable Redis with the URL redacted and how to go on', async () => {
    await expect(openRedisHotStore('redis://:s3cret-pass@127.0.0.1:1')).rejects.toThrow(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1.*/);
    await expect(openRedisHotStore('redis://:s3cret-pass@127.0.0.1:1')).rejects.not.toThrow(/s3cret-pass/);
  });
});
