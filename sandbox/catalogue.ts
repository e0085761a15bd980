import { ConfigError } from '../core/index.js';
import { FIRST_DAY, GameGenerator, LAST_RELEASE_DAY } from './game-generator.js';
import type { GameBasics, GameCore, GameLinks } from './game-generator.js';
import { GameNames } from './game-names.js';
import { LruCache } from './lru-cache.js';
import { hash32 } from './prng.js';
import { Taxonomy } from './taxonomy.js';
import { formatDay, parseDay, todayDay } from './utc-day.js';

export interface CatalogueOptions {
  seed?: number;
  games?: number;
  asOf?: string;
  burst?: { day: string; count: number };
}

export type OrderField = 'name' | 'released' | 'added' | 'created' | 'updated' | 'rating' | 'metacritic';
export type DayRange = readonly [number, number];
export type LinkFilter = 'genres' | 'platforms' | 'parentPlatforms' | 'stores' | 'tags' | 'developers' | 'publishers';

/** A normalised `/games` filter + ordering: every taxonomy value is an index, every day a day number. */
export interface GamesSelection {
  updated?: DayRange[];
  dates?: DayRange[];
  /** Lower-cased substring of the name. */
  search?: string;
  links?: Partial<Record<LinkFilter, number[]>>;
  ordering: { field: OrderField; desc: boolean };
}

const MAX_GAMES = 4_000_000;
// Sorted id lists kept per (filter, ordering): about 24 MB of Uint32 at most.
const CACHE_BUDGET = 6_000_000;

/**
 * The sandbox's game catalogue: deterministic for (seed, games, asOf, burst). Per game it keeps
 * only compact typed arrays (update second, release day, `added`) plus day indexes; game objects
 * are regenerated on demand from the seed, so a million games take a few tens of MB.
 */
export class Catalogue {
  readonly seed: number;
  readonly baseGames: number;
  readonly burst: { day: string; count: number } | null;
  /** Total number of games, burst included. */
  readonly size: number;
  readonly asOf: string;
  readonly asOfDay: number;
  readonly firstDay = formatDay(FIRST_DAY);
  readonly taxonomy: Taxonomy;
  readonly generator: GameGenerator;
  readonly names: GameNames;
  /** Seconds since FIRST_DAY 00:00 UTC of each game's `updated`. */
  private readonly updatedRel: Int32Array;
  /** Days since FIRST_DAY of each game's `released`, -1 for null. */
  private readonly releasedRel: Int32Array;
  private readonly added: Uint16Array;
  private readonly updatedDayStart: Uint32Array;
  private readonly updatedOrder: Uint32Array;
  private readonly releasedDayStart: Uint32Array;
  private readonly releasedOrder: Uint32Array;
  private readonly cache = new LruCache<string, Uint32Array>(CACHE_BUDGET);
  private readonly indexBits: number;

  constructor(options: CatalogueOptions = {}) {
    this.seed = options.seed ?? 42;
    this.baseGames = options.games ?? 20_000;
    if (!Number.isSafeInteger(this.seed)) throw new ConfigError(`sandbox seed must be an integer, got ${this.seed}`);
    if (!Number.isInteger(this.baseGames) || this.baseGames < 0) {
      throw new ConfigError(`sandbox games must be a non-negative integer, got ${this.baseGames}`);
    }
    const asOfDay = options.asOf === undefined ? todayDay() : parseDay(options.asOf);
    if (asOfDay === undefined || asOfDay < FIRST_DAY) {
      throw new ConfigError(`sandbox asOf must be a YYYY-MM-DD day on or after ${formatDay(FIRST_DAY)}, got ${options.asOf}`);
    }
    let burst: { day: number; count: number } | null = null;
    if (options.burst !== undefined) {
      const day = parseDay(options.burst.day);
      if (day === undefined || day < FIRST_DAY || day > asOfDay) {
        throw new ConfigError(`sandbox burst day must lie between ${formatDay(FIRST_DAY)} and asOf, got ${options.burst.day}`);
      }
      if (!Number.isInteger(options.burst.count) || options.burst.count < 0) {
        throw new ConfigError(`sandbox burst count must be a non-negative integer, got ${options.burst.count}`);
      }
      burst = { day, count: options.burst.count };
      this.burst = { day: options.burst.day, count: options.burst.count };
    } else {
      this.burst = null;
    }
    this.size = this.baseGames + (burst?.count ?? 0);
    if (this.size > MAX_GAMES) throw new ConfigError(`sandbox catalogue is limited to ${MAX_GAMES} games, got ${this.size}`);
    this.asOfDay = asOfDay;
    this.asOf = formatDay(asOfDay);
    this.indexBits = Math.max(1, Math.ceil(Math.log2(this.size + 1)));
    this.taxonomy = new Taxonomy(this.seed, this.size);
    this.generator = new GameGenerator({ seed: this.seed, asOfDay, baseGames: this.baseGames, burst }, this.taxonomy);
    this.names = new GameNames(this.seed, this.size);

    const n = this.size;
    this.updatedRel = new Int32Array(n);
    this.releasedRel = new Int32Array(n);
    this.added = new Uint16Array(n);
    const updatedDays = asOfDay - FIRST_DAY + 1;
    const releasedDays = Math.max(asOfDay, LAST_RELEASE_DAY) - FIRST_DAY + 1;
    const updatedCounts = new Uint32Array(updatedDays + 1);
    const releasedCounts = new Uint32Array(releasedDays + 1);
    let released = 0;
    for (let i = 0; i < n; i++) {
      const b = this.generator.basics(i);
      const rel = b.updatedSec - FIRST_DAY * 86_400;
      this.updatedRel[i] = rel;
      this.added[i] = b.added;
      const updatedCount = Math.floor(rel / 86_400) + 1;
      updatedCounts[updatedCount] = (updatedCounts[updatedCount] ?? 0) + 1;
      if (b.releasedDay === null) {
        this.releasedRel[i] = -1;
      } else {
        const day = b.releasedDay - FIRST_DAY;
        this.releasedRel[i] = day;
        releasedCounts[day + 1] = (releasedCounts[day + 1] ?? 0) + 1;
        released++;
      }
    }
    // Counting sort: prefix sums turn per-day counts into start offsets; games stay in index order within a day.
    for (let d = 1; d <= updatedDays; d++) updatedCounts[d] = (updatedCounts[d] ?? 0) + (updatedCounts[d - 1] ?? 0);
    for (let d = 1; d <= releasedDays; d++) releasedCounts[d] = (releasedCounts[d] ?? 0) + (releasedCounts[d - 1] ?? 0);
    this.updatedDayStart = updatedCounts.slice();
    this.releasedDayStart = releasedCounts.slice();
    this.updatedOrder = new Uint32Array(n);
    this.releasedOrder = new Uint32Array(released);
    for (let i = 0; i < n; i++) {
      const u = Math.floor((this.updatedRel[i] ?? 0) / 86_400);
      this.updatedOrder[updatedCounts[u] ?? 0] = i;
      updatedCounts[u] = (updatedCounts[u] ?? 0) + 1;
      const r = this.releasedRel[i] ?? -1;
      if (r >= 0) {
        this.releasedOrder[releasedCounts[r] ?? 0] = i;
        releasedCounts[r] = (releasedCounts[r] ?? 0) + 1;
      }
    }
  }

  /** The public RAWG id of game `index`: increasing with the index, but sparse like RAWG's. */
  idOf(index: number): number {
    return 3 * index + 1 + (hash32(this.seed, index, 9) % 3);
  }

  /** The game index of a RAWG id, or undefined if no game has it. */
  indexOfId(id: number): number | undefined {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    const index = Math.floor((id - 1) / 3);
    return index < this.size && this.idOf(index) === id ? index : undefined;
  }

  /** The game index of a slug, or undefined. */
  indexOfSlug(slug: string): number | undefined {
    const index = this.names.indexOfSlug(slug);
    return index !== undefined && index < this.size ? index : undefined;
  }

  /** Release day, update time and `added` of game `index`. */
  basics(index: number): GameBasics {
    return this.generator.basics(index);
  }

  /** The numeric attributes of game `index` (ratings, counts, metacritic, …). */
  core(index: number): GameCore {
    return this.generator.core(index);
  }

  /** The taxonomy links of game `index`, as indices into `taxonomy`. */
  links(index: number): GameLinks {
    return this.generator.links(index);
  }

  /** The `updated` day ('YYYY-MM-DD') of game `index`. */
  updatedDayOf(index: number): string {
    return formatDay(FIRST_DAY + Math.floor((this.updatedRel[index] ?? 0) / 86_400));
  }

  /** Ids of the games whose `updated` falls on `day` (inclusive, UTC), ascending. */
  idsUpdatedOn(day: string): number[] {
    return this.idsUpdatedBetween(day, day);
  }

  /** Ids of the games whose `updated` day lies in [from, to], ascending. */
  idsUpdatedBetween(from: string, to: string): number[] {
    const indices = this.slice(this.updatedOrder, this.updatedDayStart, from, to);
    return Array.from(indices, (i) => this.idOf(i)).sort((a, b) => a - b);
  }

  /** How many games were updated on `day`. */
  countUpdatedOn(day: string): number {
    return this.slice(this.updatedOrder, this.updatedDayStart, day, day).length;
  }

  /** Ids of the games released on `day`, ascending. */
  idsReleasedOn(day: string): number[] {
    return Array.from(this.slice(this.releasedOrder, this.releasedDayStart, day, day), (i) => this.idOf(i)).sort((a, b) => a - b);
  }

  /** Games per `updated` day over [from, to] (default: the 30 days ending at asOf). */
  updatedDayCounts(from?: string, to?: string): Record<string, number> {
    const last = to === undefined ? this.asOfDay : (parseDay(to) ?? this.asOfDay);
    const first = from === undefined ? last - 29 : (parseDay(from) ?? last - 29);
    const out: Record<string, number> = {};
    for (let d = Math.max(first, FIRST_DAY); d <= Math.min(last, this.asOfDay); d++) {
      const k = d - FIRST_DAY;
      out[formatDay(d)] = (this.updatedDayStart[k + 1] ?? 0) - (this.updatedDayStart[k] ?? 0);
    }
    return out;
  }

  /** Games per release year, for the full shape's `filters.years`. */
  releasedYearCounts(): Map<number, number> {
    const out = new Map<number, number>();
    for (let k = 0; k + 1 < this.releasedDayStart.length; k++) {
      const count = (this.releasedDayStart[k + 1] ?? 0) - (this.releasedDayStart[k] ?? 0);
      if (count === 0) continue;
      const year = Number(formatDay(FIRST_DAY + k).slice(0, 4));
      out.set(year, (out.get(year) ?? 0) + count);
    }
    return out;
  }

  /** The game indices matching `selection`, in its order (ties by id); cached per selection. */
  select(selection: GamesSelection): Uint32Array {
    const key = JSON.stringify(selection);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = this.sort(this.filter(selection), selection.ordering);
    this.cache.set(key, result, Math.max(1, result.length));
    return result;
  }

  private filter(selection: GamesSelection): Uint32Array {
    const { updated, dates, search, links } = selection;
    let candidates: Uint32Array;
    if (updated !== undefined) candidates = this.rangeUnion(this.updatedOrder, this.updatedDayStart, updated);
    else if (dates !== undefined) candidates = this.rangeUnion(this.releasedOrder, this.releasedDayStart, dates);
    else {
      candidates = new Uint32Array(this.size);
      for (let i = 0; i < this.size; i++) candidates[i] = i;
    }

    const checks: ((i: number) => boolean)[] = [];
    if (updated !== undefined && dates !== undefined) {
      checks.push((i) => {
        const r = this.releasedRel[i] ?? -1;
        return r >= 0 && dates.some(([a, b]) => r + FIRST_DAY >= a && r + FIRST_DAY <= b);
      });
    }
    if (search !== undefined && search !== '') checks.push((i) => this.names.lowerName(i).includes(search));
    const linkEntries = Object.entries(links ?? {}) as [LinkFilter, number[]][];
    if (linkEntries.length > 0) {
      checks.push((i) => {
        const l = this.generator.links(i);
        return linkEntries.every(([kind, wanted]) => {
          const have = kind === 'parentPlatforms' ? l.parents : kind === 'publishers' ? [l.publisher] : l[kind];
          return wanted.some((w) => have.includes(w));
        });
      });
    }
    if (checks.length === 0) return candidates;
    const out = new Uint32Array(candidates.length);
    let m = 0;
    for (const i of candidates) if (checks.every((check) => check(i))) out[m++] = i;
    return out.slice(0, m);
  }

  private sort(indices: Uint32Array, ordering: GamesSelection['ordering']): Uint32Array {
    const { field, desc } = ordering;
    // key(i) is a non-negative integer below `limit`, or null (sorted last in both directions).
    let key: (i: number) => number | null;
    let limit: number;
    switch (field) {
      case 'name':
        key = (i) => this.names.sortKey(i);
        limit = this.names.sortKeyLimit;
        break;
      case 'released':
        key = (i) => ((this.releasedRel[i] ?? -1) < 0 ? null : (this.releasedRel[i] ?? 0));
        limit = this.releasedDayStart.length;
        break;
      case 'added':
        key = (i) => this.added[i] ?? 0;
        limit = 65_536;
        break;
      case 'created':
        key = (i) => i;
        limit = this.size + 1;
        break;
      case 'updated':
        key = (i) => this.updatedRel[i] ?? 0;
        limit = (this.asOfDay - FIRST_DAY + 1) * 86_400;
        break;
      case 'rating':
        key = (i) => Math.round(this.generator.core(i).rating * 100);
        limit = 501;
        break;
      case 'metacritic':
        key = (i) => this.generator.core(i).metacritic;
        limit = 101;
        break;
    }
    const scale = 2 ** this.indexBits;
    const ranked = (i: number): number => {
      const k = key(i);
      return k === null ? limit : desc ? limit - 1 - k : k;
    };
    if ((limit + 1) * scale <= Number.MAX_SAFE_INTEGER) {
      // Packing (key, index) into one double lets the native numeric sort do the work: ~10x faster
      // than a comparator on a million games, and the index part breaks ties by id.
      const packed = new Float64Array(indices.length);
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k] ?? 0;
        packed[k] = ranked(i) * scale + i;
      }
      packed.sort();
      const out = new Uint32Array(indices.length);
      for (let k = 0; k < packed.length; k++) out[k] = (packed[k] ?? 0) % scale;
      return out;
    }
    const keys = new Map<number, number>();
    for (const i of indices) keys.set(i, ranked(i));
    return Uint32Array.from(indices).sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0) || a - b);
  }

  private slice(order: Uint32Array, starts: Uint32Array, from: string, to: string): Uint32Array {
    const a = parseDay(from);
    const b = parseDay(to);
    if (a === undefined || b === undefined) return new Uint32Array(0);
    return this.rangeUnion(order, starts, [[a, b]]);
  }

  private rangeUnion(order: Uint32Array, starts: Uint32Array, ranges: readonly DayRange[]): Uint32Array {
    const days = starts.length - 1;
    // Merge overlapping ranges first so a game is never listed twice.
    const clipped = ranges
      .map(([a, b]) => [Math.max(a - FIRST_DAY, 0), Math.min(b - FIRST_DAY, days - 1)] as const)
      .filter(([a, b]) => a <= b)
      .sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of clipped) {
      const last = merged.at(-1);
      if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    const parts = merged.map(([a, b]) => order.subarray(starts[a] ?? 0, starts[b + 1] ?? 0));
    const out = new Uint32Array(parts.reduce((s, p) => s + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
