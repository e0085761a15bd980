/**
 * Personas (seed 003's store shoppers, plus telemetry-heavy players): how often a player comes
 * back, what a session is, and the Markov chain of a store visit. The numbers are judgement, not
 * measurement; what matters is that the personas differ in ways the marts can show.
 */
export type PersonaName = 'retrogamer' | 'collector' | 'casual' | 'hardcore' | 'whale';

/** States of a store visit; `end` leaves the store. */
export type StoreState = 'view' | 'add_to_cart' | 'remove_from_cart' | 'wishlist' | 'click' | 'purchase' | 'review' | 'end';
export type StoreChain = Record<'view' | 'add_to_cart' | 'remove_from_cart' | 'wishlist' | 'click' | 'purchase' | 'review', Partial<Record<StoreState, number>>>;

export interface Persona {
  name: PersonaName;
  /** Share of new players. */
  share: number;
  /** Chance, each day after the first, that the player never comes back. */
  dailyChurn: number;
  /** Chance a retained player plays on a given day. */
  activeProbability: number;
  /** Sessions on an active day: 1 plus about this many. */
  extraSessions: number;
  /** Chance that a session is a store visit rather than play. */
  storeShare: number;
  store: StoreChain;
  /** How much a discount multiplies the chance to buy (and its absence divides it). */
  discountSensitivity: number;
  /** Chance that a purchase leads to a review in the same visit. */
  reviewAfterPurchase: number;
  /** Mean minutes of a play session. */
  playMinutes: number;
  /** In-game purchases a minute of play, and the share paid in real money. */
  purchasesPerMinute: number;
  realMoneyShare: number;
  /** Platform slugs the persona plays on, with weights. */
  platforms: Record<string, number>;
  /** Genre slugs the persona favours (×3). */
  genres: readonly string[];
  /** Weight of old games (retro platforms, the oldest quarter of releases). */
  oldGames: number;
  /** Exponent on the rating in a game's weight (collectors go for the acclaimed). */
  ratingTaste: number;
}

const chain = (view: Partial<Record<StoreState, number>>, cart: Partial<Record<StoreState, number>>, afterPurchase: Partial<Record<StoreState, number>>): StoreChain => ({
  view,
  add_to_cart: cart,
  remove_from_cart: { view: 0.5, end: 0.5 },
  wishlist: { view: 0.6, end: 0.4 },
  click: { view: 0.5, add_to_cart: 0.2, wishlist: 0.1, end: 0.2 },
  purchase: afterPurchase,
  review: { view: 0.3, end: 0.7 },
});

export const PERSONAS: readonly Persona[] = [
  {
    name: 'retrogamer',
    share: 0.15,
    dailyChurn: 0.1,
    activeProbability: 0.5,
    extraSessions: 0.5,
    storeShare: 0.45,
    store: chain({ view: 0.45, add_to_cart: 0.1, wishlist: 0.08, click: 0.12, end: 0.25 }, { purchase: 0.45, remove_from_cart: 0.15, view: 0.2, end: 0.2 }, { view: 0.3, end: 0.7 }),
    discountSensitivity: 1.5,
    reviewAfterPurchase: 0.15,
    playMinutes: 25,
    purchasesPerMinute: 0.002,
    realMoneyShare: 0.3,
    platforms: { pc: 5, 'nintendo-switch': 3, linux: 1 },
    genres: ['platformer', 'arcade', 'role-playing-games-rpg'],
    oldGames: 8,
    ratingTaste: 1,
  },
  {
    name: 'collector',
    share: 0.15,
    dailyChurn: 0.08,
    activeProbability: 0.6,
    extraSessions: 0.8,
    storeShare: 0.65,
    store: chain({ view: 0.35, add_to_cart: 0.18, wishlist: 0.22, click: 0.08, end: 0.17 }, { purchase: 0.65, remove_from_cart: 0.05, view: 0.2, end: 0.1 }, { view: 0.45, end: 0.55 }),
    discountSensitivity: 1.5,
    reviewAfterPurchase: 0.25,
    playMinutes: 20,
    purchasesPerMinute: 0.004,
    realMoneyShare: 0.3,
    platforms: { pc: 4, playstation5: 3, 'nintendo-switch': 2, 'xbox-series-x': 1 },
    genres: ['adventure', 'role-playing-games-rpg', 'strategy'],
    oldGames: 1.5,
    ratingTaste: 3,
  },
  {
    name: 'casual',
    share: 0.4,
    dailyChurn: 0.3,
    activeProbability: 0.45,
    extraSessions: 0.4,
    storeShare: 0.55,
    store: chain({ view: 0.6, add_to_cart: 0.06, wishlist: 0.03, click: 0.08, end: 0.23 }, { purchase: 0.2, remove_from_cart: 0.25, view: 0.3, end: 0.33 }, { view: 0.2, end: 0.8 }),
    discountSensitivity: 5,
    reviewAfterPurchase: 0.05,
    playMinutes: 12,
    purchasesPerMinute: 0.003,
    realMoneyShare: 0.2,
    platforms: { ios: 4, android: 5, pc: 1 },
    genres: ['casual', 'puzzle', 'family', 'card', 'arcade'],
    oldGames: 1,
    ratingTaste: 0.5,
  },
  {
    name: 'hardcore',
    share: 0.22,
    dailyChurn: 0.04,
    activeProbability: 0.85,
    extraSessions: 1.5,
    storeShare: 0.25,
    store: chain({ view: 0.4, add_to_cart: 0.12, wishlist: 0.05, click: 0.13, end: 0.3 }, { purchase: 0.55, remove_from_cart: 0.1, view: 0.15, end: 0.2 }, { view: 0.3, end: 0.7 }),
    discountSensitivity: 1.2,
    reviewAfterPurchase: 0.1,
    playMinutes: 70,
    purchasesPerMinute: 0.01,
    realMoneyShare: 0.25,
    platforms: { pc: 5, playstation5: 3, 'xbox-series-x': 2 },
    genres: ['action', 'shooter', 'role-playing-games-rpg', 'massively-multiplayer'],
    oldGames: 0.7,
    ratingTaste: 1.5,
  },
  {
    name: 'whale',
    share: 0.08,
    dailyChurn: 0.05,
    activeProbability: 0.8,
    extraSessions: 1.2,
    storeShare: 0.3,
    store: chain({ view: 0.35, add_to_cart: 0.2, wishlist: 0.05, click: 0.1, end: 0.3 }, { purchase: 0.75, remove_from_cart: 0.05, view: 0.1, end: 0.1 }, { view: 0.35, end: 0.65 }),
    discountSensitivity: 1,
    reviewAfterPurchase: 0.1,
    playMinutes: 55,
    purchasesPerMinute: 0.05,
    realMoneyShare: 0.7,
    platforms: { pc: 3, playstation5: 2, ios: 2, android: 2 },
    genres: ['massively-multiplayer', 'role-playing-games-rpg', 'strategy'],
    oldGames: 0.7,
    ratingTaste: 1,
  },
];

/** Platforms whose games count as old (retrogamers seek them). */
export const RETRO_PLATFORMS: ReadonlySet<string> = new Set([
  'nes', 'snes', 'nintendo-64', 'gamecube', 'game-boy', 'game-boy-color', 'game-boy-advance', 'playstation1', 'playstation2', 'psp',
  'xbox-old', 'genesis', 'sega-saturn', 'sega-cd', 'sega-32x', 'sega-master-system', 'dreamcast', 'game-gear', 'neogeo', '3do', 'jaguar',
  'atari-2600', 'atari-5200', 'atari-7800', 'atari-8-bit', 'atari-st', 'atari-lynx', 'atari-xegs', 'atari-flashback', 'commodore-amiga',
  'apple-ii', 'macintosh',
]);
