import { createPrng, hash32 } from './prng.js';
import type { Prng } from './prng.js';
import type { Taxonomy } from './taxonomy.js';
import { parseDay } from './utc-day.js';

/** First day of the catalogue: release dates and update dates never precede it. */
export const FIRST_DAY = parseDay('2015-01-01') ?? 0;
/** Last release date the generator hands out (future releases relative to asOf are allowed, like RAWG's upcoming games). */
export const LAST_RELEASE_DAY = parseDay('2025-12-31') ?? 0;
const RELEASE_SPAN = LAST_RELEASE_DAY - FIRST_DAY + 1;
/** Mean age in days of the "recently touched" part of the update distribution. */
const UPDATE_MEAN_AGE = 60;
const RECENT_SHARE = 0.72;
const RATING_IDS = [5, 4, 3, 1];
const RATING_TITLES = ['exceptional', 'recommended', 'meh', 'skip'];
const STATUS_KEYS = ['yet', 'owned', 'beaten', 'toplay', 'dropped', 'playing'] as const;
const STATUS_SHARES = [0.06, 0.55, 0.2, 0.06, 0.08, 0.05];

/** The fields every game needs for indexing and sorting (a prefix of the core stream). */
export interface GameBasics {
  releasedDay: number | null;
  tba: boolean;
  /** Seconds since the epoch, UTC. */
  updatedSec: number;
  added: number;
}

export interface GameCore extends GameBasics {
  rating: number;
  ratingTop: number;
  ratings: { id: number; title: string; count: number; percent: number }[];
  ratingsCount: number;
  reviewsCount: number;
  reviewsTextCount: number;
  addedByStatus: Record<string, number> | null;
  metacritic: number | null;
  playtime: number;
  suggestionsCount: number;
}

/** Taxonomy links of a game, as indices into the `Taxonomy` lists. */
export interface GameLinks {
  genres: number[];
  platforms: number[];
  /** Parent platform indices, ascending by parent id. */
  parents: number[];
  stores: number[];
  tags: number[];
  /** Index into ESRB_RATINGS, or -1 for null. */
  esrb: number;
  developers: number[];
  publisher: number;
  hasBackground: boolean;
  screenshots: number;
  /** 0: no PC requirements, 1: minimum only, 2: minimum + recommended. */
  pcRequirements: 0 | 1 | 2;
  ruRequirements: boolean;
  communityRating: boolean;
  scoreJitter: number;
}

export interface GameGeneratorOptions {
  seed: number;
  asOfDay: number;
  baseGames: number;
  burst: { day: number; count: number } | null;
}

/**
 * Game attributes as pure functions of (seed, index): three independent PRNG streams per game
 * (core numbers, taxonomy links, detail extras), so a filter on genres never pays for detail text
 * and nothing needs to be stored per game beyond what the catalogue indexes.
 */
export class GameGenerator {
  readonly seed: number;
  readonly asOfDay: number;
  readonly baseGames: number;
  readonly burst: { day: number; count: number } | null;

  constructor(
    options: GameGeneratorOptions,
    readonly taxonomy: Taxonomy,
  ) {
    this.seed = options.seed;
    this.asOfDay = options.asOfDay;
    this.baseGames = options.baseGames;
    this.burst = options.burst;
  }

  /** The indexing fields of game `index`. */
  basics(index: number): GameBasics {
    return this.drawBasics(index, createPrng(hash32(this.seed, index, 1)));
  }

  /** Release, update, popularity and rating numbers of game `index`. */
  core(index: number): GameCore {
    // Hot path (every list item and every rating/metacritic sort): plain loops, no spreads or
    // intermediate arrays, which V8 turns into ~10x slower code here.
    const rng = createPrng(hash32(this.seed, index, 1));
    const basics = this.drawBasics(index, rng);
    const added = basics.added;
    const reviewsCount = added < 3 ? 0 : Math.floor(added * (0.02 + 0.3 * rng()));
    const quality = rng();
    const ratingsDrop = rng();
    const metaDraw = rng();
    const metaValue = rng();
    const playDraw = rng();
    const suggestDraw = rng();
    const textDraw = rng();

    let rating = 0;
    let ratingTop = 0;
    const ratings: GameCore['ratings'] = [];
    if (reviewsCount > 0) {
      const centre = 1.3 + 3.6 * quality;
      const weights = [0, 0, 0, 0];
      let sum = 0;
      let top = 0;
      for (let j = 0; j < 4; j++) {
        const w = Math.exp(-((RATING_IDS[j]! - centre) ** 2) / 1.5);
        weights[j] = w;
        sum += w;
        if (w > weights[top]!) top = j;
      }
      const counts = [0, 0, 0, 0];
      let assigned = 0;
      for (let j = 0; j < 4; j++) {
        counts[j] = Math.floor((reviewsCount * weights[j]!) / sum);
        assigned += counts[j]!;
      }
      counts[top]! += reviewsCount - assigned;
      let total = 0;
      for (let j = 0; j < 4; j++) {
        const id = RATING_IDS[j]!;
        const count = counts[j]!;
        total += id * count;
        if (count > 0) ratings.push({ id, title: RATING_TITLES[j]!, count, percent: Math.round((count * 10000) / reviewsCount) / 100 });
      }
      ratings.sort((x, y) => y.count - x.count || y.id - x.id);
      rating = Math.round((total / reviewsCount) * 100) / 100;
      ratingTop = ratings[0]!.id;
    }
    let addedByStatus: Record<string, number> | null = null;
    if (added > 0) {
      const shares = [0, 0, 0, 0, 0, 0];
      let total = 0;
      for (let k = 0; k < 6; k++) {
        shares[k] = STATUS_SHARES[k]! * (0.5 + rng());
        total += shares[k]!;
      }
      const counts = [0, 0, 0, 0, 0, 0];
      let assigned = 0;
      for (let k = 0; k < 6; k++) {
        counts[k] = Math.floor((added * shares[k]!) / total);
        assigned += counts[k]!;
      }
      counts[1]! += added - assigned;
      addedByStatus = {};
      for (let k = 0; k < 6; k++) if (counts[k]! > 0) addedByStatus[STATUS_KEYS[k]!] = counts[k]!;
    }
    // Metacritic only reviews a small, mostly popular share of the catalogue.
    const hasMeta = (added >= 1000 && metaDraw < 0.4) || metaDraw < 0.01;
    return {
      releasedDay: basics.releasedDay,
      tba: basics.tba,
      updatedSec: basics.updatedSec,
      added,
      rating,
      ratingTop,
      ratings,
      ratingsCount: reviewsCount - Math.floor(reviewsCount * 0.03 * ratingsDrop),
      reviewsCount,
      reviewsTextCount: Math.floor(reviewsCount * 0.04 * textDraw),
      addedByStatus,
      metacritic: hasMeta ? 40 + Math.floor(Math.sqrt(metaValue) * 59) : null,
      playtime: added === 0 ? 0 : Math.floor(playDraw ** 3 * 60),
      suggestionsCount: Math.floor(suggestDraw * 700),
    };
  }

  /** Genres, platforms, stores, tags, ESRB, companies and media flags of game `index`. */
  links(index: number): GameLinks {
    const rng = createPrng(hash32(this.seed, index, 2));
    const t = this.taxonomy;
    const genres = t.pickers.genres.pickDistinct(rng, 1 + Math.floor(rng() * 3));
    const platforms = t.pickers.platforms.pickDistinct(rng, 1 + Math.floor(rng() ** 2 * 5));
    const parents = [...new Set(platforms.map((p) => t.parentOfPlatform[p] ?? 0))].sort(
      (a, b) => (t.parentPlatforms[a]?.id ?? 0) - (t.parentPlatforms[b]?.id ?? 0),
    );
    const parentIds = new Set(parents.map((p) => t.parentPlatforms[p]?.id));
    const storeWanted = rng() < 0.12 ? 0 : 1 + Math.floor(rng() * 4);
    const stores = t.pickers.stores.pickDistinct(rng, storeWanted, (k) => t.stores[k]?.parents.some((p) => parentIds.has(p)) ?? false);
    const tags = t.pickers.tags.pickDistinct(rng, Math.floor(rng() ** 1.6 * 21));
    const esrb = rng() < 0.55 ? -1 : t.pickers.esrb.pick(rng);
    const developers = [t.developerOfGame(index)];
    if (rng() < 0.2) {
      const second = Math.floor(rng() * t.developers.length);
      if (second !== developers[0]) developers.push(second);
    }
    const hasBackground = rng() >= 0.02;
    const screenshots = hasBackground ? (rng() < 0.7 ? 6 : Math.floor(rng() * 6)) : 0;
    const req = rng();
    return {
      genres,
      platforms,
      parents,
      stores,
      tags,
      esrb,
      developers,
      publisher: t.publisherOfGame(index),
      hasBackground,
      screenshots,
      pcRequirements: req < 0.5 ? 0 : req < 0.7 ? 1 : 2,
      ruRequirements: rng() < 0.1,
      communityRating: rng() < 0.3,
      scoreJitter: rng(),
    };
  }

  /** A fresh PRNG for the detail-only extras of game `index` (description, counts, URLs). */
  detailRng(index: number): Prng {
    return createPrng(hash32(this.seed, index, 3));
  }

  private drawBasics(index: number, rng: Prng): GameBasics {
    const kind = rng();
    const releaseDraw = rng();
    const mode = rng();
    const expDraw = rng();
    const uniformDraw = rng();
    const secondDraw = rng();
    const addedDraw = rng();

    const released = kind < 0.036 ? null : FIRST_DAY + Math.floor(releaseDraw ** 0.75 * RELEASE_SPAN);
    // An upcoming game (released after asOf) has been on RAWG for a while: any day may be its update day.
    const lower = released !== null && released <= this.asOfDay ? released : FIRST_DAY;
    const span = Math.max(0, this.asOfDay - lower);
    let age = mode < RECENT_SHARE ? Math.floor(-Math.log(1 - expDraw) * UPDATE_MEAN_AGE) : span + 1;
    if (age > span) age = Math.floor(uniformDraw * (span + 1));
    const day = this.burst !== null && index >= this.baseGames ? this.burst.day : this.asOfDay - age;
    return {
      releasedDay: released,
      tba: kind < 0.03,
      updatedSec: day * 86_400 + Math.floor(secondDraw * 86_400),
      // Heavy-tailed like RAWG: a third of the games were never added to a library.
      added: Math.floor(addedDraw ** 9 * 25_000),
    };
  }
}
