import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../catalogue.js';
import { gamesFromCatalogue } from './simulated-game.js';
import { createSimulation, type SimulationOptions } from './simulation.js';
import type { SimulatedEvent } from './simulated-event.js';

const games = gamesFromCatalogue(new Catalogue({ seed: 42, games: 3000, asOf: '2026-01-10' }));
const start = Date.UTC(2026, 0, 1);
const week = (overrides: Partial<SimulationOptions> = {}): SimulationOptions => ({ seed: 7, players: 600, start, end: start + 7 * 86_400_000, games, ...overrides });
const digest = (events: Iterable<SimulatedEvent>): string => {
  const h = createHash('sha256');
  for (const e of events) h.update(JSON.stringify(e)).update('\n');
  return h.digest('hex');
};
const all = (options: SimulationOptions): SimulatedEvent[] => [...createSimulation(options).events()];
const MINUTE = 60_000;

describe('createSimulation', () => {
  const sim = createSimulation(week());
  const events = [...sim.events()];
  const personaOf = new Map(sim.players.map((p) => [p.userId, p.persona]));

  it('gives the same events byte for byte for the same seed and options, and others for another seed', () => {
    expect(events.length).toBeGreaterThan(10_000);
    expect(digest(createSimulation(week()).events())).toBe(digest(events));
    // A second pass over the same simulation starts over.
    expect(digest(sim.events())).toBe(digest(events));
    const other = all(week({ seed: 8 }));
    expect(digest(other)).not.toBe(digest(events));
    expect(new Set(other.map((e) => e.user_id)).has(events.find((e) => e.user_id)!.user_id)).toBe(false);
  });

  it('streams events in sending order, inside the window, with unique ids when nothing is resent', () => {
    const sent = events.map((e) => Date.parse(e.sent_at));
    expect(sent.every((t, i) => i === 0 || t >= sent[i - 1]!)).toBe(true);
    expect(events.every((e) => Date.parse(e.timestamp) >= start && Date.parse(e.timestamp) < start + 7 * 86_400_000)).toBe(true);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(events.every((e) => e.timestamp === e.sent_at)).toBe(true);
  });

  it('keeps a session free of 30-minute silences, and separates a player’s sessions by more than 30 minutes', () => {
    const sessions = new Map<string, { who: string; times: number[] }>();
    for (const e of events) {
      const s = sessions.get(e.session_id) ?? { who: e.user_id ?? e.anonymous_id!, times: [] };
      s.times.push(Date.parse(e.timestamp));
      sessions.set(e.session_id, s);
    }
    let longest = 0;
    const spans = new Map<string, [number, number][]>();
    for (const { who, times } of sessions.values()) {
      for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
      const player = who.replace(/^anon_/, 'u_');
      spans.set(player, [...(spans.get(player) ?? []), [times[0]!, times.at(-1)!]]);
    }
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThanOrEqual(30 * MINUTE);
    let shortestBreak = Infinity;
    for (const list of spans.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++) shortestBreak = Math.min(shortestBreak, list[i]![0] - list[i - 1]![1]);
    }
    expect(shortestBreak).toBeGreaterThan(30 * MINUTE);
  });

  it('makes collectors convert store views into purchases far more than price-sensitive casual players', () => {
    const rate = (persona: string): number => {
      const viewers = new Set<string>();
      const buyers = new Set<string>();
      for (const e of events) {
        if (!e.user_id || personaOf.get(e.user_id) !== persona) continue;
        if (e.event === 'view') viewers.add(e.user_id);
        if (e.event === 'purchase' && e.properties.item === undefined) buyers.add(e.user_id);
      }
      return buyers.size / viewers.size;
    };
    expect(rate('collector')).toBeGreaterThan(2 * rate('casual'));
    // Casual players view more per purchase.
    const viewsPerPurchase = (persona: string): number => {
      const of = events.filter((e) => e.user_id && personaOf.get(e.user_id) === persona);
      return of.filter((e) => e.event === 'view').length / Math.max(1, of.filter((e) => e.event === 'purchase' && e.properties.item === undefined).length);
    };
    expect(viewsPerPurchase('casual')).toBeGreaterThan(2 * viewsPerPurchase('collector'));
  });

  it('makes casual players buy on discount far more often than collectors', () => {
    // The shelf's list prices: a paid amount off this list was discounted.
    const listPrices = new Set([0, 4.99, 9.99, 14.99, 19.99, 29.99, 39.99, 59.99, 69.99]);
    const discounted = (persona: string): number => {
      const bought = events.filter((e) => e.event === 'purchase' && e.properties.item === undefined && Number(e.properties.amount) > 0 && e.user_id && personaOf.get(e.user_id) === persona);
      expect(bought.length).toBeGreaterThan(10);
      return bought.filter((b) => !listPrices.has(Number(b.properties.amount))).length / bought.length;
    };
    expect(discounted('casual')).toBeGreaterThan(0.5);
    expect(discounted('casual')).toBeGreaterThan(2 * discounted('collector'));
  });

  it('brings new players every day and loses some: next-day retention below 100%, higher for hardcore than casual players', () => {
    const day = (t: string): number => Math.floor(Date.parse(t) / 86_400_000);
    const firstDay = new Map<string, number>();
    const days = new Map<string, Set<number>>();
    for (const e of events) {
      if (!e.user_id) continue;
      if (!firstDay.has(e.user_id)) firstDay.set(e.user_id, day(e.timestamp));
      days.set(e.user_id, (days.get(e.user_id) ?? new Set()).add(day(e.timestamp)));
    }
    expect(new Set(firstDay.values()).size).toBe(7);
    const retention = (persona: string): number => {
      const cohort = [...firstDay].filter(([u, d]) => personaOf.get(u) === persona && d < day(new Date(start + 5 * 86_400_000).toISOString()));
      return cohort.filter(([u, d]) => days.get(u)!.has(d + 1) || days.get(u)!.has(d + 2)).length / cohort.length;
    };
    expect(retention('casual')).toBeLessThan(1);
    expect(retention('hardcore')).toBeLessThan(1);
    expect(retention('hardcore')).toBeGreaterThan(retention('casual') + 0.15);
  });

  it('has some signed-out browsing, and retrogamers favour old games', () => {
    const anonymous = events.filter((e) => !e.user_id);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((e) => e.anonymous_id?.startsWith('anon_') && e.event !== 'purchase')).toBe(true);
    const released = new Map(games.map((g) => [g.id, g.released ?? '9999']));
    const medianRelease = (persona: string): string => {
      const list = events.filter((e) => e.event === 'view' && e.user_id && personaOf.get(e.user_id) === persona).map((e) => released.get(e.game_id!)!).sort();
      return list[Math.floor(list.length / 2)]!;
    };
    expect(medianRelease('retrogamer') < medianRelease('hardcore')).toBe(true);
  });

  it('resends and delays events only when asked, with the same ids and hours-old timestamps', () => {
    const noisy = all(week({ players: 200, duplicateRatio: 0.05, lateRatio: 0.02 }));
    const ids = noisy.map((e) => e.event_id);
    const resent = ids.length - new Set(ids).size;
    expect(resent / ids.length).toBeGreaterThan(0.03);
    expect(resent / ids.length).toBeLessThan(0.07);
    const late = noisy.filter((e) => Date.parse(e.sent_at) - Date.parse(e.timestamp) >= 3_600_000);
    expect(late.length / noisy.length).toBeGreaterThan(0.01);
    expect(late.length / noisy.length).toBeLessThan(0.03);
    // The noise is added on top: without it, the same players do the same things.
    const clean = all(week({ players: 200 }));
    const cleanIds = new Set(clean.map((e) => e.event_id));
    expect(new Set(ids).size).toBe(cleanIds.size);
    expect(ids.every((id) => cleanIds.has(id))).toBe(true);
  });

  it('refuses impossible options with a clear message', () => {
    expect(() => createSimulation(week({ players: 0 }))).toThrow(/players 0/);
    expect(() => createSimulation(week({ games: [] }))).toThrow(/at least one game/);
    expect(() => createSimulation(week({ duplicateRatio: 2 }))).toThrow(/duplicateRatio 2/);
    expect(() => createSimulation(week({ end: start }))).toThrow(/window/);
  });
});
