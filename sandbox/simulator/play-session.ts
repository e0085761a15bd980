import type { Prng } from '../prng.js';
import type { GameShelf } from './game-shelf.js';
import type { Persona } from './personas.js';
import type { SessionWriter } from './session-writer.js';
import { REGIONS } from './simulated-player.js';
import type { PlayerMemory } from './store-visit.js';

const ITEMS_REAL = ['gem_pack_small', 'gem_pack_large', 'battle_pass', 'starter_bundle', 'expansion'];
const PRICES_REAL = [0.99, 4.99, 9.99, 4.99, 19.99];
const ITEMS_VIRTUAL = ['skin_classic', 'skin_neon', 'booster', 'extra_life', 'emote'];
const ACHIEVEMENTS = ['first_win', 'explorer', 'collector', 'speedrunner', 'perfectionist', 'social', 'night_owl'];
const FPS: Record<string, number> = { pc: 110, linux: 90, playstation5: 60, 'xbox-series-x': 60, 'nintendo-switch': 30, ios: 60, android: 45 };

/**
 * A play session: session_start, game_start, a heartbeat every one to two and a half minutes
 * with progress, level-ups, resource flows and in-game purchases between them, then game_end.
 * Never more than 150 s between two events, so a session never looks like two.
 */
export function playSession(w: SessionWriter, persona: Persona, shelf: GameShelf, memory: PlayerMemory, rng: Prng): void {
  const p = w.player;
  // A new (free or already owned) game sometimes; mostly the recent ones of the library.
  if (memory.library.length === 0 || rng() < 0.1) memory.library.push(shelf.pick(persona, p.platform, rng));
  const recent = memory.library.slice(-3);
  const game = recent[Math.floor(rng() * rng() * recent.length)]!;
  const id = shelf.games[game]!.id;
  const latency = REGIONS.find((r) => r.name === p.region)?.latencyMs ?? 50;
  w.emit('session_start', { platform: p.platform, region: p.region, client_version: p.clientVersion, persona: p.persona }, id);
  w.wait(3 + rng() * 17);
  w.emit('game_start', { device: p.device, client_version: p.clientVersion, platform: p.platform, region: p.region }, id);
  const progress = memory.progress.get(game) ?? { level: 1, xp: 0 };
  memory.progress.set(game, progress);
  const duration = Math.min(240 * 60, Math.max(60, -Math.log(1 - rng()) * persona.playMinutes * 60));
  let elapsed = 0;
  let score = 0;
  let coins = 0;
  while (elapsed < duration) {
    const step = 60 + rng() * 90;
    elapsed += step;
    w.wait(step);
    const fps = Math.round((FPS[p.platform] ?? 60) * (0.8 + rng() * 0.3));
    w.emit('heartbeat', { fps, latency_ms: Math.round(latency * (0.6 + rng() * 1.2)), platform: p.platform, region: p.region }, id);
    progress.xp += Math.round(20 + rng() * 60);
    score += Math.round(50 + rng() * 200);
    if (progress.xp >= progress.level * 150) {
      progress.xp -= progress.level * 150;
      progress.level++;
      w.wait(1 + rng() * 5);
      w.emit('level_up', { level: progress.level }, id);
    }
    if (rng() < 0.12) {
      w.wait(1 + rng() * 5);
      w.emit('progress', { level: progress.level, xp: progress.xp, achievements: rng() < 0.3 ? [ACHIEVEMENTS[Math.floor(rng() * ACHIEVEMENTS.length)]!] : [] }, id);
    }
    if (rng() < 0.2) {
      const amount = Math.round(10 + rng() * 190);
      coins += amount;
      w.wait(1 + rng() * 5);
      w.emit('resource', { flow: 'source', currency: 'GOLD', amount, reason: rng() < 0.5 ? 'quest_reward' : 'loot' }, id);
    }
    if (rng() < 0.08) {
      w.wait(1 + rng() * 5);
      w.emit('resource', { flow: 'sink', currency: 'GOLD', amount: Math.round(20 + rng() * 300), reason: 'shop' }, id);
    }
    if (rng() < (persona.purchasesPerMinute * step) / 60) {
      w.wait(2 + rng() * 10);
      if (rng() < persona.realMoneyShare) {
        const k = Math.floor(rng() * ITEMS_REAL.length);
        w.emit('purchase', { item: ITEMS_REAL[k]!, quantity: 1, amount: PRICES_REAL[k]!, currency_type: 'real', currency_code: 'USD', platform: p.platform }, id);
      } else {
        const k = Math.floor(rng() * ITEMS_VIRTUAL.length);
        w.emit('purchase', { item: ITEMS_VIRTUAL[k]!, quantity: 1, amount: 50 * (1 + Math.floor(rng() * 20)), currency_type: 'virtual', currency_code: 'GEMS', platform: p.platform }, id);
      }
    }
  }
  w.wait(1 + rng() * 10);
  w.emit('game_end', { duration: Math.round(elapsed), score, level_reached: progress.level, coins_earned: coins }, id);
}
