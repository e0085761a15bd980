import type { SqlDriver } from './sql-driver.js';
import type { DaemonRecord, StateStore } from './state-store.js';
import { textIn, type Row } from './stored-values.js';

type DaemonQueries = Pick<StateStore, 'recordDaemon' | 'listDaemons'>;

/** One row per daemon process, upserted on start, on each heartbeat and on a clean stop. */
export function daemonQueries(db: SqlDriver): DaemonQueries {
  return {
    async recordDaemon(d) {
      await db.execute(
        `INSERT INTO daemons (owner, started_at, heartbeat_at, stopped_at, next_tick, once) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, stopped_at = excluded.stopped_at, next_tick = excluded.next_tick`,
        [textIn(d.owner) ?? '', d.startedAt, d.heartbeatAt, d.stoppedAt, d.nextTick, d.once ? 1 : 0],
      );
    },
    async listDaemons(since) {
      const rows = await db.query(`SELECT * FROM daemons WHERE heartbeat_at >= ? ORDER BY heartbeat_at DESC, owner`, [since]);
      return rows.map(toDaemon);
    },
  };
}

function toDaemon(r: Row): DaemonRecord {
  return {
    owner: String(r.owner),
    startedAt: String(r.started_at),
    heartbeatAt: String(r.heartbeat_at),
    stoppedAt: r.stopped_at === null ? null : String(r.stopped_at),
    nextTick: r.next_tick === null ? null : String(r.next_tick),
    once: Number(r.once) === 1,
  };
}
