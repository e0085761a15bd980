/** A real RAWG platform; `weight` is RAWG's games_count (Aug 2024), used as pick weight. */
export interface PlatformData {
  id: number;
  name: string;
  slug: string;
  parent: number;
  yearStart: number | null;
  weight: number;
}

/** The 51 real RAWG platforms in RAWG's own list order (Web, the 51st, is inferred from the parents list). */
export const PLATFORMS: readonly PlatformData[] = [
  { id: 4, name: 'PC', slug: 'pc', parent: 1, yearStart: null, weight: 534389 },
  { id: 187, name: 'PlayStation 5', slug: 'playstation5', parent: 2, yearStart: 2020, weight: 1104 },
  { id: 1, name: 'Xbox One', slug: 'xbox-one', parent: 3, yearStart: null, weight: 5638 },
  { id: 18, name: 'PlayStation 4', slug: 'playstation4', parent: 2, yearStart: null, weight: 6825 },
  { id: 186, name: 'Xbox Series S/X', slug: 'xbox-series-x', parent: 3, yearStart: 2020, weight: 970 },
  { id: 7, name: 'Nintendo Switch', slug: 'nintendo-switch', parent: 7, yearStart: null, weight: 5502 },
  { id: 3, name: 'iOS', slug: 'ios', parent: 4, yearStart: null, weight: 77351 },
  { id: 21, name: 'Android', slug: 'android', parent: 8, yearStart: null, weight: 52373 },
  { id: 8, name: 'Nintendo 3DS', slug: 'nintendo-3ds', parent: 7, yearStart: null, weight: 1693 },
  { id: 9, name: 'Nintendo DS', slug: 'nintendo-ds', parent: 7, yearStart: null, weight: 2484 },
  { id: 13, name: 'Nintendo DSi', slug: 'nintendo-dsi', parent: 7, yearStart: null, weight: 37 },
  { id: 5, name: 'macOS', slug: 'macos', parent: 5, yearStart: null, weight: 104490 },
  { id: 6, name: 'Linux', slug: 'linux', parent: 6, yearStart: null, weight: 77381 },
  { id: 14, name: 'Xbox 360', slug: 'xbox360', parent: 3, yearStart: null, weight: 2804 },
  { id: 80, name: 'Xbox', slug: 'xbox-old', parent: 3, yearStart: null, weight: 739 },
  { id: 16, name: 'PlayStation 3', slug: 'playstation3', parent: 2, yearStart: null, weight: 3164 },
  { id: 15, name: 'PlayStation 2', slug: 'playstation2', parent: 2, yearStart: null, weight: 2039 },
  { id: 27, name: 'PlayStation', slug: 'playstation1', parent: 2, yearStart: null, weight: 1670 },
  { id: 19, name: 'PS Vita', slug: 'ps-vita', parent: 2, yearStart: null, weight: 1447 },
  { id: 17, name: 'PSP', slug: 'psp', parent: 2, yearStart: null, weight: 1370 },
  { id: 10, name: 'Wii U', slug: 'wii-u', parent: 7, yearStart: null, weight: 1126 },
  { id: 11, name: 'Wii', slug: 'wii', parent: 7, yearStart: null, weight: 2230 },
  { id: 105, name: 'GameCube', slug: 'gamecube', parent: 7, yearStart: null, weight: 635 },
  { id: 83, name: 'Nintendo 64', slug: 'nintendo-64', parent: 7, yearStart: null, weight: 363 },
  { id: 24, name: 'Game Boy Advance', slug: 'game-boy-advance', parent: 7, yearStart: null, weight: 954 },
  { id: 43, name: 'Game Boy Color', slug: 'game-boy-color', parent: 7, yearStart: null, weight: 419 },
  { id: 26, name: 'Game Boy', slug: 'game-boy', parent: 7, yearStart: null, weight: 611 },
  { id: 79, name: 'SNES', slug: 'snes', parent: 7, yearStart: null, weight: 969 },
  { id: 49, name: 'NES', slug: 'nes', parent: 7, yearStart: null, weight: 988 },
  { id: 55, name: 'Classic Macintosh', slug: 'macintosh', parent: 5, yearStart: null, weight: 674 },
  { id: 41, name: 'Apple II', slug: 'apple-ii', parent: 5, yearStart: null, weight: 424 },
  { id: 166, name: 'Commodore / Amiga', slug: 'commodore-amiga', parent: 10, yearStart: null, weight: 2080 },
  { id: 28, name: 'Atari 7800', slug: 'atari-7800', parent: 9, yearStart: null, weight: 64 },
  { id: 31, name: 'Atari 5200', slug: 'atari-5200', parent: 9, yearStart: null, weight: 64 },
  { id: 23, name: 'Atari 2600', slug: 'atari-2600', parent: 9, yearStart: null, weight: 286 },
  { id: 22, name: 'Atari Flashback', slug: 'atari-flashback', parent: 9, yearStart: null, weight: 30 },
  { id: 25, name: 'Atari 8-bit', slug: 'atari-8-bit', parent: 9, yearStart: null, weight: 308 },
  { id: 34, name: 'Atari ST', slug: 'atari-st', parent: 9, yearStart: null, weight: 836 },
  { id: 46, name: 'Atari Lynx', slug: 'atari-lynx', parent: 9, yearStart: null, weight: 57 },
  { id: 50, name: 'Atari XEGS', slug: 'atari-xegs', parent: 9, yearStart: null, weight: 22 },
  { id: 167, name: 'Genesis', slug: 'genesis', parent: 11, yearStart: null, weight: 836 },
  { id: 107, name: 'SEGA Saturn', slug: 'sega-saturn', parent: 11, yearStart: null, weight: 367 },
  { id: 119, name: 'SEGA CD', slug: 'sega-cd', parent: 11, yearStart: null, weight: 162 },
  { id: 117, name: 'SEGA 32X', slug: 'sega-32x', parent: 11, yearStart: null, weight: 46 },
  { id: 74, name: 'SEGA Master System', slug: 'sega-master-system', parent: 11, yearStart: null, weight: 231 },
  { id: 106, name: 'Dreamcast', slug: 'dreamcast', parent: 11, yearStart: null, weight: 362 },
  { id: 111, name: '3DO', slug: '3do', parent: 12, yearStart: null, weight: 97 },
  { id: 112, name: 'Jaguar', slug: 'jaguar', parent: 9, yearStart: null, weight: 39 },
  { id: 77, name: 'Game Gear', slug: 'game-gear', parent: 11, yearStart: null, weight: 223 },
  { id: 12, name: 'Neo Geo', slug: 'neogeo', parent: 13, yearStart: null, weight: 123 },
  { id: 171, name: 'Web', slug: 'web', parent: 14, yearStart: null, weight: 25000 },
];

/** The 14 real parent platforms with their child platform ids, in RAWG's order. */
export const PARENT_PLATFORMS: readonly { id: number; name: string; slug: string; platforms: readonly number[] }[] = [
  { id: 1, name: 'PC', slug: 'pc', platforms: [4] },
  { id: 2, name: 'PlayStation', slug: 'playstation', platforms: [187, 18, 16, 15, 27, 19, 17] },
  { id: 3, name: 'Xbox', slug: 'xbox', platforms: [1, 186, 14, 80] },
  { id: 4, name: 'iOS', slug: 'ios', platforms: [3] },
  { id: 8, name: 'Android', slug: 'android', platforms: [21] },
  { id: 5, name: 'Apple Macintosh', slug: 'mac', platforms: [5, 55, 41] },
  { id: 6, name: 'Linux', slug: 'linux', platforms: [6] },
  { id: 7, name: 'Nintendo', slug: 'nintendo', platforms: [7, 8, 9, 13, 10, 11, 105, 83, 24, 43, 26, 79, 49] },
  { id: 9, name: 'Atari', slug: 'atari', platforms: [28, 31, 23, 22, 25, 34, 46, 50, 112] },
  { id: 10, name: 'Commodore / Amiga', slug: 'commodore-amiga', platforms: [166] },
  { id: 11, name: 'SEGA', slug: 'sega', platforms: [167, 107, 119, 117, 74, 106, 77] },
  { id: 12, name: '3DO', slug: '3do', platforms: [111] },
  { id: 13, name: 'Neo Geo', slug: 'neo-geo', platforms: [12] },
  { id: 14, name: 'Web', slug: 'web', platforms: [171] },
];
