import { describe, expect, it } from 'vitest';
import { checkEvent, EVENT_NAMES, MAX_EVENT_BYTES } from './contracts.js';

const at = new Date('2026-12-03T10:00:05.000Z');
const base = { event_id: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', event: 'view', user_id: 'u1', game_id: 3498, timestamp: '2026-12-03T10:00:00.000Z' };

describe('checkEvent', () => {
  it('accepts an event of a known contract and stamps it, correcting the client clock by sent_at', () => {
    const checked = checkEvent({ ...base, sent_at: '2026-12-03T10:00:01.000Z', properties: { referrer_page: '/search', time_spent: 12 } }, at, 'c1');
    expect(checked).toEqual({
      ok: true,
      event: expect.objectContaining({
        event: 'view', schema: 'gmp/view/1-0-0', user_id: 'u1', anonymous_id: null, game_id: 3498, received_at: '2026-12-03T10:00:05.000Z',
        // The client's clock runs 4 s behind the collector's: its event happened at 10:00:04.
        event_time: '2026-12-03T10:00:04.000Z', collector_id: 'c1', properties: { referrer_page: '/search', time_spent: 12 },
      }),
      json: expect.any(String),
    });
    // The JSON the log keeps is the stamped event.
    expect(checked.ok && JSON.parse(checked.json)).toEqual(checked.ok && checked.event);
  });

  it('fills a contract defaults: a purchase is real money, one item, unless said otherwise', () => {
    const checked = checkEvent({ ...base, event: 'purchase', properties: { amount: 59.99, currency_code: 'USD' } }, at, 'c1');
    expect(checked.ok && checked.event.properties).toEqual({ amount: 59.99, currency_code: 'USD', currency_type: 'real', quantity: 1 });
  });

  it('refuses with a reason: a wrong type, no user, an unknown event or version, a field the envelope lacks, too large', () => {
    const reason = (raw: unknown) => {
      const c = checkEvent(raw, at, 'c1');
      return c.ok ? 'ok' : `${c.failure.reason}: ${c.failure.detail}`;
    };
    expect(reason({ ...base, game_id: 'gta' })).toBe('schema_violation: game_id: Invalid input: expected number, received string');
    expect(reason({ ...base, user_id: undefined })).toBe('no_user: an event needs user_id or anonymous_id');
    expect(reason({ ...base, event: 'teleport' })).toMatch(/^unknown_event: no contract for event "teleport"/);
    expect(reason({ ...base, schema: 'gmp/view/2-0-0' })).toBe('unknown_schema_version: no contract gmp/view/2-0-0: the current one is gmp/view/1-0-0');
    expect(reason({ ...base, schema: 'gmp/click/1-0-0' })).toBe('schema_violation: schema gmp/click/1-0-0 is not a schema of event "view"');
    expect(reason({ ...base, event: 'heartbeat', properties: { fps: 60 } })).toMatch(/^schema_violation: properties\.latency_ms: /);
    expect(reason({ ...base, colour: 'red' })).toMatch(/^schema_violation: event: Unrecognized key/);
    expect(reason({ ...base, event_id: 'not-a-uuid' })).toMatch(/^schema_violation: event_id: /);
    expect(reason({ ...base, properties: { search_query: 'x'.repeat(400), filters_applied: { q: 'y'.repeat(MAX_EVENT_BYTES) } } })).toMatch(/^too_large: the event is \d+ bytes; at most 32768/);
  });

  it('has a contract for every event the seeds name', () => {
    expect(EVENT_NAMES.sort()).toEqual(['add_to_cart', 'click', 'game_end', 'game_start', 'heartbeat', 'level_up', 'progress', 'purchase', 'remove_from_cart', 'resource', 'review', 'session_start', 'view', 'wishlist']);
  });
});
