import { describe, expect, it } from 'vitest';
import { Catalogue } from './catalogue.js';
import { monthOfDay } from './utc-day.js';

const CONSOLES = ['playstation', 'xbox', 'nintendo'];

interface Game {
  rating: number;
  ratingsCount: number;
  added: number;
  metacritic: number | null;
  released: number | null;
  genres: string[];
  families: string[];
  publisher: number;
}

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
function correlation(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, k) => {
    sxy += (v - mx) * (y[k]! - my);
    sxx += (v - mx) ** 2;
    syy += (y[k]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

// The structure a model trained on the sandbox can learn, asserted on the default catalogue.
describe('the sandbox generative model', () => {
  const catalogue = new Catalogue({ asOf: '2026-11-21' });
  const t = catalogue.taxonomy;
  const games: Game[] = Array.from({ length: catalogue.size }, (_, i) => {
    const core = catalogue.core(i);
    const links = catalogue.links(i);
    return {
      rating: core.rating,
      ratingsCount: core.ratingsCount,
      added: core.added,
      metacritic: core.metacritic,
      released: core.releasedDay,
      genres: links.genres.map((g) => t.genres[g]!.slug),
      families: links.parents.map((p) => t.parentPlatforms[p]!.slug),
      publisher: links.publisher,
    };
  });
  const rated = games.filter((g) => g.ratingsCount > 0);
  const out = games.filter((g) => g.released !== null && g.released <= catalogue.asOfDay);

  it('rates a game 0 exactly when nobody rated it, and keeps added in 16 bits', () => {
    expect(games.every((g) => (g.rating === 0) === (g.ratingsCount === 0))).toBe(true);
    expect(games.every((g) => g.rating === 0 || (g.rating >= 1 && g.rating <= 5))).toBe(true);
    expect(Math.max(...games.map((g) => g.added))).toBeLessThan(65_536);
    // Missing values as on RAWG: unrated games, and Metacritic for a minority.
    expect(rated.length / games.length).toBeGreaterThan(0.4);
    expect(rated.length / games.length).toBeLessThan(0.9);
    expect(games.filter((g) => g.metacritic !== null).length / games.length).toBeLessThan(0.3);
  });

  it('rates strategy games on PC above strategy games only on consoles (genre × platform)', () => {
    const strategy = rated.filter((g) => g.genres.includes('strategy'));
    const onPc = strategy.filter((g) => g.families.includes('pc') && !g.families.some((f) => CONSOLES.includes(f)));
    const onConsoles = strategy.filter((g) => !g.families.includes('pc') && g.families.some((f) => CONSOLES.includes(f)));
    expect(onPc.length).toBeGreaterThan(100);
    expect(onConsoles.length).toBeGreaterThan(100);
    expect(mean(onPc.map((g) => g.rating)) - mean(onConsoles.map((g) => g.rating))).toBeGreaterThan(0.2);
  });

  it("lets a publisher's earlier games predict its later ones", () => {
    const byPublisher = new Map<number, Game[]>();
    for (const g of rated) if (g.released !== null) byPublisher.set(g.publisher, [...(byPublisher.get(g.publisher) ?? []), g]);
    const earlier: number[] = [];
    const later: number[] = [];
    for (const list of byPublisher.values()) {
      if (list.length < 4) continue;
      list.sort((a, b) => (a.released ?? 0) - (b.released ?? 0));
      const half = list.length >> 1;
      earlier.push(mean(list.slice(0, half).map((g) => g.rating)));
      later.push(mean(list.slice(half).map((g) => g.rating)));
    }
    expect(earlier.length).toBeGreaterThan(500);
    expect(correlation(earlier, later)).toBeGreaterThan(0.15);
  });

  it('gives Metacritic scores mostly to popular games, higher to the better rated', () => {
    const share = (list: Game[]): number => list.filter((g) => g.metacritic !== null).length / list.length;
    expect(share(out.filter((g) => g.ratingsCount > 100))).toBeGreaterThan(5 * share(out.filter((g) => g.ratingsCount <= 100)));
    const scored = rated.filter((g) => g.metacritic !== null);
    expect(correlation(scored.map((g) => g.metacritic ?? 0), scored.map((g) => g.rating))).toBeGreaterThan(0.7);
  });

  it('adds September-November releases more than January ones, and old games more than new ones', () => {
    const logAdded = (list: Game[]): number => mean(list.map((g) => Math.log1p(g.added)));
    const inMonths = (months: number[]): Game[] => out.filter((g) => months.includes(monthOfDay(g.released ?? 0)));
    expect(logAdded(inMonths([9, 10, 11])) - logAdded(inMonths([1]))).toBeGreaterThan(0.4);
    const age = (g: Game): number => catalogue.asOfDay - (g.released ?? 0);
    const logRatings = (list: Game[]): number => mean(list.map((g) => Math.log1p(g.ratingsCount)));
    expect(logRatings(out.filter((g) => age(g) > 3 * 365)) - logRatings(out.filter((g) => age(g) < 365))).toBeGreaterThan(0.1);
  });

  it('rates no game before its release', () => {
    expect(games.filter((g) => g.released === null || g.released > catalogue.asOfDay).every((g) => g.ratingsCount === 0)).toBe(true);
  });
});

describe('monthOfDay', () => {
  it('agrees with Date for every day from 1970 to 2100', () => {
    const wrong: number[] = [];
    for (let day = 0; day < 47_847; day++) if (monthOfDay(day) !== new Date(day * 86_400_000).getUTCMonth() + 1) wrong.push(day);
    expect(wrong).toEqual([]);
  });
});
