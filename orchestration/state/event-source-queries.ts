import type { SqlDriver } from './sql-driver.js';
import type { EventSourceRecord, StateStore } from './state-store.js';

type EventSourceQueries = Pick<StateStore, 'createEventSource' | 'listEventSources' | 'findEventSource' | 'revokeEventSource'>;

const COLUMNS = 'name, key_hash, key_prefix, events_per_second, created_at, revoked_at';

function toRecord(r: Record<string, unknown>): EventSourceRecord {
  return {
    name: String(r.name),
    keyHash: String(r.key_hash),
    keyPrefix: String(r.key_prefix),
    eventsPerSecond: r.events_per_second === null || r.events_per_second === undefined ? null : Number(r.events_per_second),
    createdAt: String(r.created_at),
    revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : String(r.revoked_at),
  };
}

/** Sources of events for `gmp collect`: a write key each, stored as a hash. */
export function eventSourceQueries(db: SqlDriver): EventSourceQueries {
  return {
    async createEventSource(s) {
      const n = await db.execute(
        `INSERT INTO event_sources (${COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (name) DO NOTHING`,
        [s.name, s.keyHash, s.keyPrefix, s.eventsPerSecond, s.createdAt],
      );
      return n > 0;
    },
    async listEventSources() {
      return (await db.query(`SELECT ${COLUMNS} FROM event_sources ORDER BY name`)).map(toRecord);
    },
    async findEventSource(keyHash) {
      const [row] = await db.query(`SELECT ${COLUMNS} FROM event_sources WHERE key_hash = ? AND revoked_at IS NULL`, [keyHash]);
      return row ? toRecord(row) : null;
    },
    async revokeEventSource(name, at) {
      return (await db.execute(`UPDATE event_sources SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`, [at, name])) > 0;
    },
  };
}
