/** A real RAWG store; `parents` are the parent platforms it sells for, so store links match platforms. */
export interface StoreData {
  id: number;
  name: string;
  domain: string;
  slug: string;
  weight: number;
  parents: readonly number[];
  /** Builds a plausible product URL for the detail shape. */
  url: (slug: string, n: number) => string;
}

/** The 10 real RAWG stores in RAWG's list order; `weight` is RAWG's games_count (Aug 2024). */
export const STORES: readonly StoreData[] = [
  { id: 1, name: 'Steam', domain: 'store.steampowered.com', slug: 'steam', weight: 97458, parents: [1, 5, 6], url: (_s, n) => `https://store.steampowered.com/app/${n}/` },
  { id: 3, name: 'PlayStation Store', domain: 'store.playstation.com', slug: 'playstation-store', weight: 7959, parents: [2], url: (s) => `https://store.playstation.com/en-us/concept/${s}` },
  { id: 2, name: 'Xbox Store', domain: 'microsoft.com', slug: 'xbox-store', weight: 4865, parents: [3], url: (s) => `https://www.microsoft.com/en-us/p/${s}` },
  { id: 4, name: 'App Store', domain: 'apps.apple.com', slug: 'apple-appstore', weight: 75559, parents: [4, 5], url: (s, n) => `https://apps.apple.com/app/${s}/id${n}?mt=12&uo=4` },
  { id: 5, name: 'GOG', domain: 'gog.com', slug: 'gog', weight: 6270, parents: [1, 5, 6], url: (s) => `https://www.gog.com/game/${s.replace(/-/g, '_')}` },
  { id: 6, name: 'Nintendo Store', domain: 'nintendo.com', slug: 'nintendo', weight: 9045, parents: [7], url: (s) => `https://www.nintendo.com/games/detail/${s}-switch/` },
  { id: 7, name: 'Xbox 360 Store', domain: 'marketplace.xbox.com', slug: 'xbox360', weight: 1916, parents: [3], url: (s) => `https://marketplace.xbox.com/en-us/product/${s}` },
  { id: 8, name: 'Google Play', domain: 'play.google.com', slug: 'google-play', weight: 17097, parents: [8], url: (s) => `https://play.google.com/store/apps/details?id=com.${s.replace(/-/g, '')}` },
  { id: 9, name: 'itch.io', domain: 'itch.io', slug: 'itch', weight: 654163, parents: [1, 5, 6, 14], url: (s) => `https://${s.split('-')[0] ?? s}.itch.io/${s}` },
  { id: 11, name: 'Epic Games', domain: 'epicgames.com', slug: 'epic-games', weight: 1343, parents: [1], url: (s) => `https://store.epicgames.com/en-US/p/${s}` },
];
