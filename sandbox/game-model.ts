import { FAMILY_EFFECTS, GENRE_EFFECTS, MONTH_REACH, PLATFORM_CLASSES } from './game-model-effects.js';
import { hash32 } from './prng.js';
import type { Taxonomy } from './taxonomy.js';
import { monthOfDay } from './utc-day.js';

/** A noticed game has at least ~50 additions; an unnoticed one stays below this many, and unrated. */
export const UNNOTICED_ADDED = 12;

/** What the model reads of a game's links (GameGenerator derives it without building them). */
export interface GameTraits {
  /** Bit g: genre index g. */
  genreMask: number;
  /** Bit f: parent platform (family) index f. */
  familyMask: number;
  platformCount: number;
  /** False when no store sells it. */
  sold: boolean;
}

/**
 * The sandbox's generative model of ratings and popularity. SYNTHETIC: it gives a model trained on
 * the catalogue something to learn, and says nothing about real games.
 *
 * Latent factors (sd in units of z below, or of log(1 + added) for reach and hype):
 * - per publisher: quality 0.3 and reach 0.55; per primary developer: quality 0.1 and reach 0.3.
 *   They hold for all the company's games, so its earlier games predict its next ones;
 * - per game: quality 0.1 and hype 0.55.
 *
 * Quality z = the best quality of its platform families (mobile and web far below PC and
 * consoles; a PC game ported to phones is not a phone game) + the quality of each of its genres +
 * genre × platform-class interactions (strategy and simulation on PC, shooters, sports and racing
 * on consoles, puzzle, card and casual games on mobile, …; game-model-effects.ts) + the latent
 * qualities. A logistic squash turns z into the centre (1..5) of the game's rating distribution.
 *
 * Popularity L = log(1 + added): the genres' mean reach + the best family reach (a PC or console
 * release reaches more people than a mobile or web one) + 0.35 per extra platform - 1.2 when no
 * store sells it + 1.4 per rating point of centre (good games are added more) + publisher and
 * developer reach + release month (September-November releases sell, January and summer ones
 * less) + age (additions accumulate, most of them in the first year; an unreleased game only has
 * wishlists) + hype. A game whose L falls below log(50) goes unnoticed: a few wishlists, no ratings.
 *
 * What RAWG shows (game-generator.ts): the votes of `reviews_count` people, 10-25% of those who
 * added a released game, split over RAWG's levels (5, 4, 3, 1) around the centre, plus vote noise
 * that shrinks with their number: the rating is their mean, 0 without votes. Metacritic scores
 * mostly popular PC and console games, as a sigmoid of the centre plus noise (missing otherwise);
 * playtime is 0 until 30 people have the game, then its genres' hours scaled by quality.
 */
export class GameModel {
  private readonly genreQuality: Float64Array;
  private readonly genreReach: Float64Array;
  private readonly genreHours: Float64Array;
  /** Genre g's bonus on platform class c at g * CLASSES + c. */
  private readonly genreOnClass: Float64Array;
  private readonly familyQuality: Float64Array;
  private readonly familyReach: Float64Array;
  /** Bit (1 << class index in PLATFORM_CLASSES) of family f. */
  private readonly familyClassBit: Uint8Array;
  private readonly publisherQuality: Float64Array;
  private readonly publisherReach: Float64Array;
  private readonly developerQuality: Float64Array;
  private readonly developerReach: Float64Array;

  constructor(
    seed: number,
    private readonly taxonomy: Taxonomy,
  ) {
    const genres = taxonomy.genres.map((g) => GENRE_EFFECTS[g.slug] ?? { quality: 0, reach: 0, hours: 5 });
    this.genreQuality = Float64Array.from(genres, (g) => g.quality);
    this.genreReach = Float64Array.from(genres, (g) => g.reach);
    this.genreHours = Float64Array.from(genres, (g) => g.hours);
    this.genreOnClass = new Float64Array(genres.length * CLASSES);
    genres.forEach((g, k) => PLATFORM_CLASSES.forEach((c, j) => (this.genreOnClass[k * CLASSES + j] = g.onClass?.[c] ?? 0)));
    const families = taxonomy.parentPlatforms.map((p) => FAMILY_EFFECTS[p.slug] ?? { platformClass: 'console' as const, quality: 0, reach: 0 });
    this.familyQuality = Float64Array.from(families, (f) => f.quality);
    this.familyReach = Float64Array.from(families, (f) => f.reach);
    this.familyClassBit = Uint8Array.from(families, (f) => 1 << PLATFORM_CLASSES.indexOf(f.platformClass));
    const latent = (salt: number, count: number, sd: number): Float64Array =>
      Float64Array.from({ length: count }, (_, k) => sd * normal(hash32(seed, salt, k) / 4_294_967_296));
    this.publisherQuality = latent(0x7051, taxonomy.publishers.length, 0.3);
    this.publisherReach = latent(0x7052, taxonomy.publishers.length, 0.55);
    this.developerQuality = latent(0x6451, taxonomy.developers.length, 0.1);
    this.developerReach = latent(0x6452, taxonomy.developers.length, 0.3);
  }

  /** The centre (1..5) of game `index`'s rating distribution; `draw` is a uniform draw for its own quality. */
  centre(index: number, traits: GameTraits, draw: number): number {
    let classes = 0;
    let best = -Infinity;
    for (let m = traits.familyMask; m !== 0; m &= m - 1) {
      const f = 31 - Math.clz32(m & -m);
      best = Math.max(best, this.familyQuality[f] ?? 0);
      classes |= this.familyClassBit[f] ?? 0;
    }
    let z = best === -Infinity ? 0 : best;
    for (let m = traits.genreMask; m !== 0; m &= m - 1) {
      const g = 31 - Math.clz32(m & -m);
      z += this.genreQuality[g] ?? 0;
      for (let c = 0; c < CLASSES; c++) if ((classes & (1 << c)) !== 0) z += this.genreOnClass[g * CLASSES + c] ?? 0;
    }
    z +=
      (this.publisherQuality[this.taxonomy.publisherOfGame(index)] ?? 0) +
      (this.developerQuality[this.taxonomy.developerOfGame(index)] ?? 0) +
      0.1 * normal(draw);
    return 1 + 4 / (1 + Math.exp(-CENTRE_SLOPE * (z + CENTRE_SHIFT)));
  }

  /**
   * RAWG's `added` for game `index` as of `asOfDay` (below 60,000, so it fits 16 bits): its reach,
   * quality (`centre`), release month and age; `hypeDraw` and `wishlistDraw` are uniform draws.
   */
  added(index: number, traits: GameTraits, centre: number, releasedDay: number | null, asOfDay: number, hypeDraw: number, wishlistDraw: number): number {
    let best = -Infinity;
    for (let m = traits.familyMask; m !== 0; m &= m - 1) best = Math.max(best, this.familyReach[31 - Math.clz32(m & -m)] ?? 0);
    let genreSum = 0;
    let genres = 0;
    for (let m = traits.genreMask; m !== 0; m &= m - 1) {
      genreSum += this.genreReach[31 - Math.clz32(m & -m)] ?? 0;
      genres++;
    }
    let timing = -1.1;
    if (releasedDay !== null) {
      const month = MONTH_REACH[monthOfDay(releasedDay) - 1] ?? 0;
      timing = releasedDay > asOfDay ? month - 0.8 : month + 0.8 * -Math.expm1((releasedDay - asOfDay) / 365);
    }
    const logAdded =
      BASE_LOG_ADDED +
      (genres > 0 ? genreSum / genres : 0) +
      (best === -Infinity ? 0 : best) +
      0.35 * (traits.platformCount - 1) +
      (traits.sold ? 0 : UNSOLD_REACH) +
      1.4 * (centre - 3) +
      (this.publisherReach[this.taxonomy.publisherOfGame(index)] ?? 0) +
      (this.developerReach[this.taxonomy.developerOfGame(index)] ?? 0) +
      timing +
      0.55 * normal(hypeDraw);
    if (logAdded < NOTICED_LOG_ADDED) return Math.floor(wishlistDraw ** 3 * UNNOTICED_ADDED);
    // Saturates smoothly instead of piling games up at a cap.
    return Math.floor(MAX_ADDED * -Math.expm1(-Math.expm1(logAdded) / MAX_ADDED));
  }

  /** Whether Metacritic scored a released game: mostly popular ones, rarely a mobile- or web-only one. */
  reviewedByCritics(familyMask: number, added: number, draw: number): boolean {
    let classes = 0;
    for (let m = familyMask; m !== 0; m &= m - 1) classes |= this.familyClassBit[31 - Math.clz32(m & -m)] ?? 0;
    const chance = added >= 2000 ? 0.6 : added >= 500 ? 0.25 : added >= 50 ? 0.04 : 0.005;
    return draw < ((classes & PC_OR_CONSOLE) !== 0 ? chance : chance * 0.2);
  }

  /** A Metacritic score (20..99) for a game of this centre: critics separate the good games most. */
  metacritic(centre: number, draw: number): number {
    const score = 42 + 55 / (1 + Math.exp(-2.2 * (centre - 3.4))) + 4 * normal(draw);
    return Math.max(20, Math.min(99, Math.round(score)));
  }

  /** Average hours played of a game with enough players: its genres' mean hours, scaled by quality. */
  playtime(genreMask: number, centre: number, draw: number): number {
    let hours = 0;
    let genres = 0;
    for (let m = genreMask; m !== 0; m &= m - 1) {
      hours += this.genreHours[31 - Math.clz32(m & -m)] ?? 0;
      genres++;
    }
    return Math.floor((genres > 0 ? hours / genres : 5) * Math.exp(0.6 * (centre - 3)) * (0.5 + draw));
  }
}

const CLASSES = PLATFORM_CLASSES.length;
/** Class bits of 'pc' and 'console' (PLATFORM_CLASSES order). */
const PC_OR_CONSOLE = 0b11;
const CENTRE_SLOPE = 1.1;
/** Puts the median centre of the catalogue near 3.5. */
const CENTRE_SHIFT = -0.06;
const BASE_LOG_ADDED = 2.5;
const NOTICED_LOG_ADDED = Math.log(50);
/** A game no store sells is added far less. */
const UNSOLD_REACH = -1.2;
const MAX_ADDED = 60_000;

/** A standard-normal-like variate of a uniform draw (the logistic quantile, scaled to sd 1): cheap, allocation-free. */
export function normal(u: number): number {
  const v = u * 0.999_998 + 0.000_001;
  return 0.5513 * Math.log(v / (1 - v));
}
