import { UsageError } from '../../core/index.js';
import { createPrng, hash32, type Prng } from '../prng.js';
import { GameShelf } from './game-shelf.js';
import { MinHeap } from './min-heap.js';
import { playerEvents } from './player-events.js';
import type { SimulatedEvent } from './simulated-event.js';
import type { SimulatedGame } from './simulated-game.js';
import { createPlayer, type SimulatedPlayer } from './simulated-player.js';

export interface SimulationOptions {
  seed: number;
  /** Players arriving over the window (new players every day, so retention cohorts exist). */
  players: number;
  /** The simulated window [start, end), ms since the epoch. */
  start: number;
  end: number;
  /** The games players find and play (at least one). */
  games: readonly SimulatedGame[];
  /** Share of store visits made signed out, with `anonymous_id` only (default 0.1). */
  anonymousRatio?: number;
  /** Share of events sent twice with the same `event_id` (default 0: the dedup path is opt-in). */
  duplicateRatio?: number;
  /** Share of events delivered 1–6 hours after they happened (default 0). */
  lateRatio?: number;
}

export interface Simulation {
  readonly players: readonly SimulatedPlayer[];
  /**
   * The events, lazily, ordered by when they are sent (`sent_at`, ties in a fixed order); the
   * same options give the same events byte for byte, on every call. Memory grows with the players
   * active at once, not with the events.
   */
  events(): Generator<SimulatedEvent>;
}

type Unsequenced = { at: number; event: SimulatedEvent; stream?: Iterator<{ at: number; event: SimulatedEvent }>; delivery?: Prng } | { at: number; arrival: SimulatedPlayer };
type Entry = Unsequenced & { seq: number };

/** A seeded player simulation (pure: no clock, no IO). Throws UsageError for impossible options. */
export function createSimulation(options: SimulationOptions): Simulation {
  const { seed, players: count, start, end } = options;
  const anonymousRatio = ratio('anonymousRatio', options.anonymousRatio ?? 0.1);
  const duplicateRatio = ratio('duplicateRatio', options.duplicateRatio ?? 0);
  const lateRatio = ratio('lateRatio', options.lateRatio ?? 0);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`seed ${seed}: expected an integer`);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`players ${count}: expected a whole number above 0`);
  if (!(Number.isFinite(start) && Number.isFinite(end) && start < end)) throw new UsageError('the simulated window must end after it starts');
  if (options.games.length === 0) throw new UsageError('the simulation needs at least one game', { hint: 'materialize marts/dim_games, or use the sandbox catalogue' });
  const shelf = new GameShelf(seed, options.games);
  const players = Array.from({ length: count }, (_, i) => createPlayer(seed, i, { start, end }));

  function* events(): Generator<SimulatedEvent> {
    const heap = new MinHeap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
    let seq = 0;
    const push = (entry: Unsequenced): void => heap.push({ ...entry, seq: seq++ });
    // Players join the merge when they arrive: only those seen so far hold memory.
    for (const player of players) push({ at: player.firstSeen, arrival: player });
    const pull = (stream: Iterator<{ at: number; event: SimulatedEvent }>, delivery: Prng): void => {
      for (;;) {
        const next = stream.next();
        if (next.done) return;
        const { at, event } = next.value;
        if (lateRatio > 0 && delivery() < lateRatio) {
          const sent = at + Math.round((1 + delivery() * 5) * 3_600_000);
          push({ at: sent, event: { ...event, sent_at: new Date(sent).toISOString() } });
          continue;
        }
        push({ at, event, stream, delivery });
        if (duplicateRatio > 0 && delivery() < duplicateRatio) {
          const resent = at + Math.round((1 + delivery() * 29) * 1000);
          push({ at: resent, event: { ...event, sent_at: new Date(resent).toISOString() } });
        }
        return;
      }
    };
    for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) {
      if ('arrival' in entry) {
        const p = entry.arrival;
        pull(playerEvents(p, { seed, shelf, end, anonymousRatio }), createPrng(hash32(seed, p.index, 32)));
        continue;
      }
      yield entry.event;
      if (entry.stream && entry.delivery) pull(entry.stream, entry.delivery);
    }
  }

  return { players, events };
}

function ratio(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) throw new UsageError(`${name} ${value}: expected a share between 0 and 1`);
  return value;
}
