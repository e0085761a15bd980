import { describe, expect, it } from 'vitest';
import { Catalogue } from './catalogue.js';
import { formatDay, parseDay } from './utc-day.js';

const AS_OF = '2026-11-21';

describe('Catalogue', () => {
  const catalogue = new Catalogue({ asOf: AS_OF });

  it('defaults to 20,000 games, seed 42', () => {
    expect(catalogue.size).toBe(20_000);
    expect(catalogue.seed).toBe(42);
    expect(catalogue.asOf).toBe(AS_OF);
  });

  it('puts at least 100 games on each of the last 7 days before asOf', () => {
    const asOf = parseDay(AS_OF) ?? 0;
    for (let d = asOf - 6; d <= asOf; d++) {
      expect(catalogue.countUpdatedOn(formatDay(d)), formatDay(d)).toBeGreaterThanOrEqual(100);
    }
  });

  it('never dates an update after asOf or before 2015', () => {
    const counts = catalogue.updatedDayCounts('2014-12-01', '2027-01-01');
    const total = Object.values(counts).reduce((s, c) => s + c, 0);
    expect(total).toBe(catalogue.size);
    expect(Object.keys(counts).every((day) => day >= '2015-01-01' && day <= AS_OF)).toBe(true);
  });

  it('is a pure function of its options', () => {
    const again = new Catalogue({ asOf: AS_OF });
    for (const i of [0, 1, 777, 19_999]) {
      expect(again.core(i)).toEqual(catalogue.core(i));
      expect(again.links(i)).toEqual(catalogue.links(i));
      expect(again.names.name(i)).toBe(catalogue.names.name(i));
    }
    const other = new Catalogue({ asOf: AS_OF, seed: 7 });
    expect(other.names.name(0)).not.toBe(catalogue.names.name(0));
  });

  it('gives every game a unique slug that maps back to it, and ids that map back too', () => {
    const slugs = new Set<string>();
    for (let i = 0; i < catalogue.size; i++) {
      const slug = catalogue.names.slug(i);
      slugs.add(slug);
      if (i % 97 === 0) {
        expect(catalogue.indexOfSlug(slug)).toBe(i);
        expect(catalogue.indexOfId(catalogue.idOf(i))).toBe(i);
      }
    }
    expect(slugs.size).toBe(catalogue.size);
    expect(catalogue.indexOfId(catalogue.idOf(catalogue.size - 1) + 3)).toBeUndefined();
    expect(catalogue.indexOfSlug('no-such-game')).toBeUndefined();
  });

  it('lists the ids updated on a day, matching each game', () => {
    const day = '2026-11-20';
    const ids = catalogue.idsUpdatedOn(day);
    expect(ids.length).toBe(catalogue.countUpdatedOn(day));
    for (const id of ids) expect(catalogue.updatedDayOf(catalogue.indexOfId(id) ?? -1)).toBe(day);
  });

  it('orders by name exactly as a string sort would', () => {
    const sorted = catalogue.select({ ordering: { field: 'name', desc: false } });
    const names = Array.from(sorted.subarray(0, 2000), (i) => catalogue.names.name(i));
    expect(names).toEqual([...names].sort());
  });

  it('adds a burst of games updated on one day', () => {
    const burst = new Catalogue({ asOf: AS_OF, games: 1_000, burst: { day: '2026-11-01', count: 5_000 } });
    expect(burst.size).toBe(6_000);
    expect(burst.countUpdatedOn('2026-11-01')).toBeGreaterThanOrEqual(5_000);
  });

  it('rejects impossible options', () => {
    expect(() => new Catalogue({ asOf: '2026-02-30' })).toThrow(/asOf/);
    expect(() => new Catalogue({ asOf: '2014-12-31' })).toThrow(/asOf/);
    expect(() => new Catalogue({ asOf: AS_OF, burst: { day: '2026-12-01', count: 1 } })).toThrow(/burst/);
    expect(() => new Catalogue({ games: -1 })).toThrow(/games/);
  });

  it('keeps a million games in compact arrays', () => {
    const big = new Catalogue({ asOf: AS_OF, games: 1_000_000 });
    expect(big.size).toBe(1_000_000);
    expect(big.countUpdatedOn(AS_OF)).toBeGreaterThan(5_000);
    const last = big.names.slug(999_999);
    expect(big.indexOfSlug(last)).toBe(999_999);
  });
});
