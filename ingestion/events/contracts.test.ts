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

  it('gives the same verdict, stamps and words whatever the envelope holds (the hand-checked common case agrees with zod)', () => {
    // Each variant once as sent (the hand check may vouch for it) and once behind a prototype-less
    // copy (only zod may): both must give the same result.
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, event_id: base.event_id.toUpperCase() },
      { ...base, event_id: '3f2b8c1e-4d5a-9b6c-8d7e-9f0a1b2c3d4e' },
      { ...base, event_id: '00000000-0000-0000-0000-000000000000' },
      { ...base, event: '' },
      { ...base, event: 'v'.repeat(65) },
      { ...base, schema: 'gmp/view/1-2-3' },
      { ...base, schema: 'gmp/View/1-0-0' },
      { ...base, schema: 7 },
      { ...base, user_id: ' u1 ' },
      { ...base, user_id: '\u00a0u1' },
      { ...base, user_id: 'ü1' },
      { ...base, user_id: '' },
      { ...base, user_id: 'u'.repeat(128) },
      { ...base, user_id: 'u'.repeat(129) },
      { ...base, user_id: null },
      { ...base, user_id: undefined, anonymous_id: 'a1', session_id: 's1' },
      { ...base, session_id: '   ' },
      { ...base, game_id: 0 },
      { ...base, game_id: 2 ** 31 },
      { ...base, game_id: 1.5 },
      { ...base, game_id: Number.NaN },
      { ...base, timestamp: '2026-12-03T10:00:00Z' },
      { ...base, timestamp: '2026-12-03T12:00:00.5+02:00' },
      { ...base, timestamp: '2026-02-29T10:00:00.000Z' },
      { ...base, timestamp: '2026-12-03 10:00:00' },
      { ...base, timestamp: 1764756000000 },
      { ...base, sent_at: '2026-12-03T10:00:01.000Z' },
      { ...base, sent_at: '2026-12-03T10:00:05Z' },
      { ...base, sent_at: 'soon' },
      { ...base, properties: null },
      { ...base, properties: [] },
      { ...base, properties: { referrer_page: '  /x ', colour: 'red' } },
      { ...base, event: 'purchase', properties: { amount: 5, currency_code: 'GOLD', currency_type: 'virtual' } },
      { ...base, colour: 'red' },
    ];
    for (const variant of variants) {
      const bare = Object.assign(Object.create(null) as object, variant);
      expect(checkEvent(variant, at, 'c1'), JSON.stringify(variant)).toEqual(checkEvent(bare, at, 'c1'));
    }
    expect(checkEvent({ ...base, user_id: ' u1 ' }, at, 'c1')).toMatchObject({ ok: true, event: { user_id: 'u1' } });
    expect(checkEvent({ ...base, timestamp: '2026-12-03T12:00:00.5+02:00' }, at, 'c1')).toMatchObject({ ok: true, event: { timestamp: '2026-12-03T10:00:00.500Z', event_time: '2026-12-03T10:00:00.500Z' } });
  });

  it('keeps in the log exactly the JSON of the stamped event, whatever its text holds', () => {
    const odd = ['u"1', 'u\\1', 'u\n1', 'ü1', '😀', 'x\ud800y', '</script>'];
    for (const text of odd) {
      for (const collector of ['c1', `c"${text}`]) {
        const checked = checkEvent({ ...base, user_id: text, session_id: text, sent_at: '2026-12-03T10:00:01Z', properties: { search_query: text } }, at, collector);
        expect(checked.ok, text).toBe(true);
        if (checked.ok) expect(checked.json).toBe(JSON.stringify(checked.event));
      }
    }
    const plain = checkEvent({ ...base, anonymous_id: 'a1' }, at, 'c1');
    expect(plain.ok && plain.json).toBe(plain.ok && JSON.stringify(plain.event));
  });

  it('has a contract for every event the seeds name', () => {
    expect(EVENT_NAMES.sort()).toEqual(['add_to_cart', 'click', 'game_end', 'game_start', 'heartbeat', 'level_up', 'progress', 'purchase', 'remove_from_cart', 'resource', 'review', 'session_start', 'view', 'wishlist']);
  });
});
