import { createPrng, hash32 } from '../prng.js';
import type { GameShelf } from './game-shelf.js';
import { playSession } from './play-session.js';
import { SessionWriter } from './session-writer.js';
import type { SimulatedEvent } from './simulated-event.js';
import { personaNamed, pickHour, REGIONS, type SimulatedPlayer } from './simulated-player.js';
import { storeVisit, type PlayerMemory } from './store-visit.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface PlayerContext {
  seed: number;
  shelf: GameShelf;
  /** Events at or after `end` are not produced (the player's stream stops there). */
  end: number;
  /** Share of store visits made signed out. */
  anonymousRatio: number;
}

/**
 * One player's events in time order, lazily: on the day they arrive a first session at
 * `firstSeen`; every later (local) day they churn for good with the persona's daily churn, else
 * play with its activity probability, one or more sessions each at least 31 minutes after the
 * previous one ended (so sessions are told apart by the 30-minute rule).
 */
export function* playerEvents(player: SimulatedPlayer, ctx: PlayerContext): Generator<{ at: number; event: SimulatedEvent }> {
  const rng = createPrng(hash32(ctx.seed, player.index, 31));
  const persona = personaNamed(player.persona);
  const memory: PlayerMemory = { library: [], wishlist: new Set(), progress: new Map() };
  const offset = (REGIONS.find((r) => r.name === player.region)?.utcOffsetHours ?? 0) * 3_600_000;
  // Local midnight of the arrival day, as an instant.
  const firstDay = Math.floor((player.firstSeen + offset) / DAY) * DAY - offset;
  let free = player.firstSeen;
  let sessions = 0;
  for (let day = 0; firstDay + day * DAY < ctx.end; day++) {
    const dayStart = firstDay + day * DAY;
    let starts: number[];
    if (day === 0) starts = [player.firstSeen];
    else {
      if (rng() < persona.dailyChurn) return;
      if (rng() >= persona.activeProbability) continue;
      starts = [];
    }
    let extra = 0;
    while (rng() < persona.extraSessions / (1 + persona.extraSessions) && extra < 6) extra++;
    const count = (day === 0 ? 0 : 1) + extra;
    for (let i = 0; i < count; i++) starts.push(dayStart + pickHour(rng) * 60 * MINUTE + Math.floor(rng() * 60 * MINUTE));
    starts.sort((a, b) => a - b);
    for (const planned of starts) {
      const at = Math.max(planned, free);
      if (at >= ctx.end) return;
      const store = rng() < persona.storeShare;
      const writer = new SessionWriter(player, [ctx.seed, player.index, sessions++], at, !store || rng() >= ctx.anonymousRatio);
      if (store) storeVisit(writer, persona, ctx.shelf, memory, rng, writer.signedIn);
      else playSession(writer, persona, ctx.shelf, memory, rng);
      for (const e of writer.events) {
        if (e.at >= ctx.end) return;
        yield e;
      }
      // The next session starts over 30 minutes of silence later.
      free = writer.at + 31 * MINUTE + Math.floor(rng() * 90 * MINUTE);
    }
  }
}
