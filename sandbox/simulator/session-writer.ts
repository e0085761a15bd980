import { uuidOf } from './ids.js';
import { SIMULATED_SCHEMA_VERSION, type SimulatedEvent } from './simulated-event.js';
import type { SimulatedPlayer } from './simulated-player.js';

/** Builds one session's events in time order: a clock that only moves forward, and the envelope. */
export class SessionWriter {
  readonly events: { at: number; event: SimulatedEvent }[] = [];
  readonly sessionId: string;

  constructor(
    readonly player: SimulatedPlayer,
    /** Names this session's ids: (seed, player index, the player's session number). */
    private readonly ids: readonly [seed: number, player: number, session: number],
    public at: number,
    readonly signedIn: boolean,
  ) {
    this.sessionId = `s_${uuidOf(...ids).replace(/-/g, '').slice(0, 20)}`;
  }

  /** Moves the clock on by `seconds` (fractional seconds kept to the millisecond). */
  wait(seconds: number): void {
    this.at += Math.round(seconds * 1000);
  }

  emit(event: string, properties: Record<string, unknown>, gameId?: number): void {
    const timestamp = new Date(this.at).toISOString();
    this.events.push({
      at: this.at,
      event: {
        event_id: uuidOf(...this.ids, this.events.length),
        event,
        schema: `gmp/${event}/${SIMULATED_SCHEMA_VERSION}`,
        ...(this.signedIn ? { user_id: this.player.userId } : { anonymous_id: this.player.anonymousId }),
        session_id: this.sessionId,
        ...(gameId === undefined ? {} : { game_id: gameId }),
        timestamp,
        sent_at: timestamp,
        properties,
      },
    });
  }
}
