/**
 * One event as a client sends it (the collector's envelope, `gmp/<event>/1-0-0`). `sent_at` is
 * when the simulated client sent it: the event's own time, or hours later for a late event.
 */
export interface SimulatedEvent {
  event_id: string;
  event: string;
  schema: string;
  user_id?: string;
  anonymous_id?: string;
  session_id: string;
  game_id?: number;
  timestamp: string;
  sent_at: string;
  properties: Record<string, unknown>;
}

/** The contract version the simulator writes. */
export const SIMULATED_SCHEMA_VERSION = '1-0-0';
