import { hash32, type Prng } from '../prng.js';
import { WeightedPicker } from '../weighted-picker.js';
import { PERSONAS, RETRO_PLATFORMS, type Persona, type PersonaName } from './personas.js';
import type { SimulatedGame } from './simulated-game.js';

const PRICES = [0, 4.99, 9.99, 14.99, 19.99, 29.99, 39.99, 59.99, 69.99];
const PRICE_WEIGHTS = [6, 8, 12, 8, 10, 10, 8, 10, 4];
const DISCOUNTS = [0.1, 0.2, 0.25, 0.33, 0.5, 0.75];

/**
 * The games as each persona sees them: a weighted picker per persona (popularity, rating taste,
 * favourite genres, old games), plus each game's price and its discount on a given day. Pure:
 * a function of the seed and the game list.
 */
export class GameShelf {
  private readonly pickers = new Map<PersonaName, WeightedPicker>();
  private readonly prices: Float64Array;

  constructor(
    private readonly seed: number,
    readonly games: readonly SimulatedGame[],
  ) {
    if (games.length === 0) throw new Error('the simulator needs at least one game');
    // Old is relative to the list: the oldest quarter of release dates (the sandbox starts in 2015).
    const released = games.map((g) => g.released).filter((r): r is string => r !== null).sort();
    const oldBefore = released[Math.floor(released.length / 4)] ?? '';
    const isOld = games.map((g) => g.platforms.some((p) => RETRO_PLATFORMS.has(p)) || (g.released !== null && g.released < oldBefore));
    for (const persona of PERSONAS) {
      const favourite = new Set(persona.genres);
      this.pickers.set(
        persona.name,
        new WeightedPicker(
          games.map((g, i) => {
            let w = Math.pow(g.popularity + 5, 0.6) * Math.pow(1 + Math.max(0, g.rating), persona.ratingTaste);
            if (g.genres.some((x) => favourite.has(x))) w *= 3;
            if (isOld[i]) w *= persona.oldGames;
            return w;
          }),
        ),
      );
    }
    this.prices = Float64Array.from(games, (g, i) => {
      const h = hash32(seed, g.id, 21);
      let pick = h % PRICE_WEIGHTS.reduce((a, b) => a + b, 0);
      let k = 0;
      while (pick >= PRICE_WEIGHTS[k]!) pick -= PRICE_WEIGHTS[k++]!;
      // Old games sell cheaper.
      return isOld[i] ? Math.min(PRICES[k]!, 19.99) : PRICES[k]!;
    });
  }

  /** A game index for `persona`, preferring games on `platform` (two more draws before giving in). */
  pick(persona: Persona, platform: string, rng: Prng): number {
    const picker = this.pickers.get(persona.name)!;
    let index = picker.pick(rng);
    for (let attempt = 0; attempt < 2 && !this.games[index]!.platforms.includes(platform); attempt++) index = picker.pick(rng);
    return index;
  }

  price(index: number): number {
    return this.prices[index]!;
  }

  /** The discount (0 for none) of game `index` on UTC day `day` (days since the epoch): about one game-day in six. */
  discount(index: number, day: number): number {
    const h = hash32(this.seed, this.games[index]!.id, day, 22);
    return h % 6 === 0 ? DISCOUNTS[(h >>> 8) % DISCOUNTS.length]! : 0;
  }
}
