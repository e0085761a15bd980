import type { Prng } from '../prng.js';
import type { GameShelf } from './game-shelf.js';
import type { Persona, StoreState } from './personas.js';
import type { SessionWriter } from './session-writer.js';
import { pickWeighted } from './simulated-player.js';

/** What a player keeps between sessions: games owned and wishlisted, and progress per game. */
export interface PlayerMemory {
  library: number[];
  wishlist: Set<number>;
  progress: Map<number, { level: number; xp: number }>;
}

const REFERRERS = ['/home', '/explore', '/search', '/deals', '/new-releases', '/top-rated'];
const ELEMENTS = ['trailer', 'screenshot', 'buy_button', 'dlc_banner', 'similar_games', 'reviews_tab'];
const SEARCHES = ['open world', 'co-op', 'roguelike', 'cozy', 'pixel art', 'racing', 'survival', 'metroidvania'];
const REVIEW_TEXT = ['Loved it.', 'Not for me.', 'Great value on sale.', 'Runs well on my machine.', 'A classic.', 'Too short.'];
const MAX_STEPS = 40;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * A store visit as a Markov chain over the persona's transitions: views lead to carts, wishlists
 * and clicks; a cart to a purchase (more likely on discount for the discount-sensitive) or to
 * abandonment. Signed-out visitors cannot buy or review: their carts are abandoned.
 */
export function storeVisit(w: SessionWriter, persona: Persona, shelf: GameShelf, memory: PlayerMemory, rng: Prng, signedIn: boolean): void {
  const p = w.player;
  w.emit('session_start', { platform: p.platform, region: p.region, client_version: p.clientVersion, persona: p.persona });
  w.wait(2 + rng() * 8);
  let game = shelf.pick(persona, p.platform, rng);
  const cart = new Set<number>();
  const context = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ platform: p.platform, ...extra });
  const view = (): void => {
    const seconds = Math.round(5 + rng() * rng() * 170);
    const props: Record<string, unknown> = context({ referrer_page: REFERRERS[Math.floor(rng() * REFERRERS.length)]!, time_spent: seconds });
    if (rng() < 0.2) props.search_query = SEARCHES[Math.floor(rng() * SEARCHES.length)]!;
    if (persona.discountSensitivity > 2 && rng() < 0.4) {
      // Browsing the deals: the game in view is one on sale, when a few looks find one.
      props.filters_applied = { on_sale: true };
      const day = Math.floor(w.at / 86_400_000);
      for (let look = 0; look < 4 && shelf.discount(game, day) === 0; look++) game = shelf.pick(persona, p.platform, rng);
    } else if (persona.oldGames > 2 && rng() < 0.3) props.filters_applied = { decade: 'retro' };
    w.emit('view', props, shelf.games[game]!.id);
    w.wait(seconds);
  };
  view();
  let state: Exclude<StoreState, 'end'> = 'view';
  for (let step = 0; step < MAX_STEPS; step++) {
    const weights: Partial<Record<StoreState, number>> = { ...persona.store[state] };
    const day = Math.floor(w.at / 86_400_000);
    const discount = shelf.discount(game, day);
    // The price-sensitive put what is on sale in their carts, and buy it.
    if (weights.add_to_cart !== undefined) weights.add_to_cart *= discount > 0 ? Math.sqrt(persona.discountSensitivity) : 1 / Math.sqrt(persona.discountSensitivity);
    if (weights.purchase !== undefined) {
      weights.purchase *= discount > 0 ? persona.discountSensitivity : 1 / persona.discountSensitivity;
      if (!signedIn) weights.purchase = 0;
    }
    if (state === 'purchase') weights.review = signedIn ? persona.reviewAfterPurchase : 0;
    if (memory.library.includes(game) && weights.add_to_cart !== undefined) weights.add_to_cart = 0;
    const next = pickWeighted(weights, rng);
    if (next === 'end') break;
    const id = shelf.games[game]!.id;
    switch (next) {
      case 'view':
        game = rng() < 0.25 && memory.wishlist.size > 0 ? [...memory.wishlist][Math.floor(rng() * memory.wishlist.size)]! : shelf.pick(persona, p.platform, rng);
        view();
        break;
      case 'add_to_cart':
        cart.add(game);
        w.emit('add_to_cart', context({ price: round2(shelf.price(game) * (1 - discount)), currency_code: 'USD' }), id);
        w.wait(3 + rng() * 20);
        break;
      case 'remove_from_cart':
        cart.delete(game);
        w.emit('remove_from_cart', context(), id);
        w.wait(2 + rng() * 10);
        break;
      case 'wishlist': {
        const had = memory.wishlist.has(game);
        if (had) memory.wishlist.delete(game);
        else memory.wishlist.add(game);
        w.emit('wishlist', context({ action: had ? 'remove' : 'add' }), id);
        w.wait(2 + rng() * 10);
        break;
      }
      case 'click':
        w.emit('click', context({ element: ELEMENTS[Math.floor(rng() * ELEMENTS.length)]! }), id);
        w.wait(3 + rng() * 40);
        break;
      case 'purchase':
        // Checkout buys what is in the cart (at least the game in view).
        cart.add(game);
        for (const bought of [...cart].sort((a, b) => a - b)) {
          w.emit('purchase', context({ quantity: 1, amount: round2(shelf.price(bought) * (1 - shelf.discount(bought, day))), currency_type: 'real', currency_code: 'USD' }), shelf.games[bought]!.id);
          if (!memory.library.includes(bought)) memory.library.push(bought);
          memory.wishlist.delete(bought);
          w.wait(1 + rng() * 3);
        }
        cart.clear();
        w.wait(5 + rng() * 20);
        break;
      case 'review': {
        const base = Math.round(shelf.games[game]!.rating || 3.5);
        const rating = Math.min(5, Math.max(1, base + (rng() < 0.3 ? (rng() < 0.5 ? -1 : 1) : 0)));
        w.emit('review', context({ rating, ...(rng() < 0.6 ? { text: REVIEW_TEXT[Math.floor(rng() * REVIEW_TEXT.length)]! } : {}) }), id);
        w.wait(20 + rng() * 120);
        break;
      }
    }
    state = next;
  }
}
