import { GameModel, normal, UNNOTICED_ADDED } from './game-model.js';
import type { GameTraits } from './game-model.js';
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
const MAX_GENRES = 3;
const MAX_PLATFORMS = 5;

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
 * Game attributes as pure functions of (seed, index, asOf): three PRNG streams per game (core
 * numbers, taxonomy links, detail extras), so a filter on genres never pays for detail text and
 * nothing needs to be stored per game beyond what the catalogue indexes. The core numbers come from
 * the generative model in game-model.ts, which reads the first draws of the links stream (genres,
 * platforms, whether a store sells the game) and the game's company indices.
 */
export class GameGenerator {
  readonly seed: number;
  readonly asOfDay: number;
  readonly baseGames: number;
  readonly burst: { day: number; count: number } | null;
  /** Where ratings and popularity come from. */
  readonly model: GameModel;
  /** Scratch of the hot path, overwritten by every drawGenresAndPlatforms / drawBasics call. */
  private readonly picked: PickedLinks = {
    genres: new Int32Array(MAX_GENRES), genreCount: 0, genreMask: 0, platforms: new Int32Array(MAX_PLATFORMS), platformCount: 0, familyMask: 0, sold: true,
  };
  private drawnCentre = 0;

  constructor(
    options: GameGeneratorOptions,
    readonly taxonomy: Taxonomy,
  ) {
    this.seed = options.seed;
    this.asOfDay = options.asOfDay;
    this.baseGames = options.baseGames;
    this.burst = options.burst;
    this.model = new GameModel(this.seed, taxonomy);
  }

  /** The indexing fields of game `index`. */
  basics(index: number): GameBasics {
    return this.drawBasics(index, createPrng(hash32(this.seed, index, 1)));
  }

  /** Release, update, popularity and rating numbers of game `index` (game-model.ts says where they come from). */
  core(index: number): GameCore {
    // Hot path (every list item and every rating/metacritic sort): plain loops, no spreads or
    // intermediate arrays, which V8 turns into ~10x slower code here.
    const rng = createPrng(hash32(this.seed, index, 1));
    const basics = this.drawBasics(index, rng);
    const centre = this.drawnCentre;
    const traits = this.picked;
    const added = basics.added;
    const share = rng();
    const voteDraw = rng();
    const ratingsDrop = rng();
    const metaDraw = rng();
    const metaValue = rng();
    const playDraw = rng();
    const suggestDraw = rng();
    const textDraw = rng();
    // Nobody rates a game before its release; after it, a share of those who added it do.
    const out = basics.releasedDay !== null && basics.releasedDay <= this.asOfDay;
    const reviewsCount = !out || added < UNNOTICED_ADDED ? 0 : Math.floor(added * (0.1 + 0.15 * share));

    let rating = 0;
    let ratingTop = 0;
    const ratings: GameCore['ratings'] = [];
    if (reviewsCount > 0) {
      // The votes of few people scatter around the game's centre more than those of many.
      const voted = centre + (0.3 * normal(voteDraw)) / Math.sqrt(reviewsCount);
      const weights = [0, 0, 0, 0];
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const w = Math.exp(-((RATING_IDS[j]! - voted) ** 2) / 1.5);
        weights[j] = w;
        sum += w;
      }
      // Largest remainders: the votes split over the levels as closely as whole votes can.
      const counts = [0, 0, 0, 0];
      const remainders = [0, 0, 0, 0];
      let assigned = 0;
      for (let j = 0; j < 4; j++) {
        const quota = (reviewsCount * weights[j]!) / sum;
        counts[j] = Math.floor(quota);
        remainders[j] = quota - counts[j]!;
        assigned += counts[j]!;
      }
      for (; assigned < reviewsCount; assigned++) {
        let best = 0;
        for (let j = 1; j < 4; j++) if (remainders[j]! > remainders[best]!) best = j;
        counts[best]! += 1;
        remainders[best] = -1;
      }
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
    const hasMeta = out && this.model.reviewedByCritics(traits.familyMask, added, metaDraw);
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
      metacritic: hasMeta ? this.model.metacritic(centre, metaValue) : null,
      // RAWG's playtime comes from its players' synced libraries: nothing until enough people have the game.
      playtime: added < 30 ? 0 : this.model.playtime(traits.genreMask, centre, playDraw),
      suggestionsCount: Math.floor(suggestDraw * 700),
    };
  }

  /** Genres, platforms, stores, tags, ESRB, companies and media flags of game `index`. */
  links(index: number): GameLinks {
    const rng = createPrng(hash32(this.seed, index, 2));
    const t = this.taxonomy;
    const picked = this.drawGenresAndPlatforms(rng);
    const genres = Array.from(picked.genres.subarray(0, picked.genreCount));
    const platforms = Array.from(picked.platforms.subarray(0, picked.platformCount));
    const parents = [...new Set(platforms.map((p) => t.parentOfPlatform[p] ?? 0))].sort(
      (a, b) => (t.parentPlatforms[a]?.id ?? 0) - (t.parentPlatforms[b]?.id ?? 0),
    );
    const parentIds = new Set(parents.map((p) => t.parentPlatforms[p]?.id));
    const storeWanted = picked.sold ? 1 + Math.floor(rng() * 4) : 0;
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

  /**
   * The genres and platforms (in pick order) and whether any store sells the game whose link stream
   * is `rng`, into the reused `picked` (no allocation: core() needs them per game): the first draws
   * of links(), made as WeightedPicker.pickDistinct makes them, so both see the same links.
   */
  private drawGenresAndPlatforms(rng: Prng): PickedLinks {
    const p = this.picked;
    const t = this.taxonomy;
    const wantGenres = 1 + Math.floor(rng() * 3);
    p.genreCount = 0;
    p.genreMask = 0;
    for (let attempt = 0; p.genreCount < wantGenres && attempt < wantGenres * 6; attempt++) {
      const k = t.pickers.genres.pick(rng);
      if ((p.genreMask & (1 << k)) !== 0) continue;
      p.genreMask |= 1 << k;
      p.genres[p.genreCount++] = k;
    }
    const wantPlatforms = 1 + Math.floor(rng() ** 2 * 5);
    // 51 platforms: two 32-bit masks.
    let low = 0;
    let high = 0;
    p.platformCount = 0;
    p.familyMask = 0;
    for (let attempt = 0; p.platformCount < wantPlatforms && attempt < wantPlatforms * 6; attempt++) {
      const k = t.pickers.platforms.pick(rng);
      const bit = 1 << (k & 31);
      if (((k < 32 ? low : high) & bit) !== 0) continue;
      if (k < 32) low |= bit;
      else high |= bit;
      p.platforms[p.platformCount++] = k;
      p.familyMask |= 1 << (t.parentOfPlatform[k] ?? 0);
    }
    p.sold = rng() >= 0.12;
    return p;
  }

  private drawBasics(index: number, rng: Prng): GameBasics {
    const kind = rng();
    const releaseDraw = rng();
    const mode = rng();
    const expDraw = rng();
    const uniformDraw = rng();
    const secondDraw = rng();
    const hypeDraw = rng();
    const qualityDraw = rng();
    const wishlistDraw = rng();

    const released = kind < 0.036 ? null : FIRST_DAY + Math.floor(releaseDraw ** 0.75 * RELEASE_SPAN);
    // An upcoming game (released after asOf) has been on RAWG for a while: any day may be its update day.
    const lower = released !== null && released <= this.asOfDay ? released : FIRST_DAY;
    const span = Math.max(0, this.asOfDay - lower);
    let age = mode < RECENT_SHARE ? Math.floor(-Math.log(1 - expDraw) * UPDATE_MEAN_AGE) : span + 1;
    if (age > span) age = Math.floor(uniformDraw * (span + 1));
    const day = this.burst !== null && index >= this.baseGames ? this.burst.day : this.asOfDay - age;
    const traits = this.drawGenresAndPlatforms(createPrng(hash32(this.seed, index, 2)));
    const centre = this.model.centre(index, traits, qualityDraw);
    this.drawnCentre = centre;
    return {
      releasedDay: released,
      tba: kind < 0.03,
      updatedSec: day * 86_400 + Math.floor(secondDraw * 86_400),
      added: this.model.added(index, traits, centre, released, this.asOfDay, hypeDraw, wishlistDraw),
    };
  }
}

/** Genres and platforms of one game as GameGenerator.links picks them, with their bit masks. */
interface PickedLinks extends GameTraits {
  /** Genre indices in pick order; the first `genreCount` are set. */
  genres: Int32Array;
  genreCount: number;
  platforms: Int32Array;
}
