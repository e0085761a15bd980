/**
 * The fixed effects of the sandbox's generative model (see game-model.ts), keyed by RAWG slug.
 * Invented numbers chosen to look like a games market, not measured on RAWG: `quality` adds to
 * the latent quality z (about rating points in the middle of the scale), `reach` to log(1 + added),
 * `hours` is the playtime of an average game of the genre.
 */

/** How a platform family is sold: the classes the genre × platform interactions speak of. */
export type PlatformClass = 'pc' | 'console' | 'mobile' | 'web';
export const PLATFORM_CLASSES: readonly PlatformClass[] = ['pc', 'console', 'mobile', 'web'];

/** What one genre adds; a game sums the quality of its genres and averages their reach and hours. */
export interface GenreEffect {
  quality: number;
  reach: number;
  hours: number;
  /** Quality bonus (or malus) of this genre when the game runs on a family of that class. */
  onClass?: Partial<Record<PlatformClass, number>>;
}

export const GENRE_EFFECTS: Readonly<Record<string, GenreEffect>> = {
  action: { quality: 0, reach: 0.3, hours: 8 },
  indie: { quality: 0, reach: -0.4, hours: 4 },
  adventure: { quality: 0.2, reach: 0.2, hours: 9 },
  'role-playing-games-rpg': { quality: 1, reach: 0.3, hours: 35, onClass: { console: 0.5 } },
  strategy: { quality: 0.7, reach: 0, hours: 22, onClass: { pc: 0.9, console: -0.9 } },
  shooter: { quality: 0, reach: 0.4, hours: 10, onClass: { console: 0.9, mobile: -0.9 } },
  casual: { quality: -1, reach: -0.3, hours: 2, onClass: { mobile: 1.4 } },
  simulation: { quality: 0, reach: 0, hours: 15, onClass: { pc: 0.7 } },
  puzzle: { quality: 0, reach: -0.2, hours: 3, onClass: { mobile: 1.5 } },
  arcade: { quality: -0.5, reach: -0.3, hours: 3, onClass: { web: 1 } },
  platformer: { quality: 0.2, reach: 0, hours: 6, onClass: { console: 0.5 } },
  racing: { quality: 0, reach: 0.1, hours: 7, onClass: { console: 0.7 } },
  'massively-multiplayer': { quality: -0.9, reach: 0.2, hours: 45, onClass: { pc: 0.7, mobile: -0.9 } },
  sports: { quality: -0.9, reach: 0, hours: 12, onClass: { console: 1 } },
  fighting: { quality: 0, reach: 0, hours: 6, onClass: { console: 0.7 } },
  family: { quality: -0.5, reach: -0.4, hours: 3, onClass: { console: 0.5 } },
  'board-games': { quality: 0.3, reach: -0.5, hours: 4, onClass: { mobile: 1 } },
  educational: { quality: -1.4, reach: -0.9, hours: 2 },
  card: { quality: 0.2, reach: -0.4, hours: 5, onClass: { mobile: 1.4 } },
};

export interface FamilyEffect {
  platformClass: PlatformClass;
  quality: number;
  reach: number;
}

/** Per parent platform (family) slug; a game gets the best `quality` and the best `reach` of its families. */
export const FAMILY_EFFECTS: Readonly<Record<string, FamilyEffect>> = {
  pc: { platformClass: 'pc', quality: 0, reach: 0.8 },
  playstation: { platformClass: 'console', quality: 0.5, reach: 1.2 },
  xbox: { platformClass: 'console', quality: 0.3, reach: 1 },
  ios: { platformClass: 'mobile', quality: -1.4, reach: -0.8 },
  android: { platformClass: 'mobile', quality: -1.7, reach: -1.1 },
  mac: { platformClass: 'pc', quality: 0, reach: 0.1 },
  linux: { platformClass: 'pc', quality: 0, reach: 0 },
  nintendo: { platformClass: 'console', quality: 0.5, reach: 1 },
  atari: { platformClass: 'console', quality: 0.3, reach: 0.1 },
  'commodore-amiga': { platformClass: 'console', quality: 0.3, reach: 0 },
  sega: { platformClass: 'console', quality: 0.3, reach: 0.3 },
  '3do': { platformClass: 'console', quality: -0.3, reach: -0.3 },
  'neo-geo': { platformClass: 'console', quality: 0.3, reach: 0 },
  web: { platformClass: 'web', quality: -2, reach: -1.8 },
};

/** Popularity by release month, January first: holiday releases sell, January and summer do not. */
export const MONTH_REACH: readonly number[] = [-0.35, -0.15, 0, -0.05, -0.1, 0, -0.2, -0.05, 0.3, 0.5, 0.65, 0.2];
