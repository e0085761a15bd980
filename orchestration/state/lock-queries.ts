import type { SqlDriver } from './sql-driver.js';
import type { LockRecord, StateStore } from './state-store.js';
import { isoInstant, textIn } from './stored-values.js';

type LockQueries = Pick<StateStore, 'tryAcquireLock' | 'renewLocks' | 'releaseLock' | 'listLocks'>;

/**
 * Leases: a row per name with an owner and an expiry. Instants are canonical UTC ISO strings, so
 * `<=` on text is `<=` in time on both engines.
 */
export function lockQueries(db: SqlDriver): LockQueries {
  // Owners are redacted like every stored text, so comparisons use the redacted form too.
  const ownerIn = (owner: string): string => textIn(owner) ?? '';
  return {
    async tryAcquireLock(name, owner, ttlMs, now) {
      const at = isoInstant(now);
      const who = ownerIn(owner);
      // One statement, atomic on both engines: insert, or take over a row that is expired or ours.
      const changed = await db.execute(
        `INSERT INTO locks (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET
           owner = excluded.owner,
           acquired_at = CASE WHEN locks.owner = excluded.owner AND locks.expires_at > ? THEN locks.acquired_at ELSE excluded.acquired_at END,
           expires_at = excluded.expires_at
         WHERE locks.expires_at <= ? OR locks.owner = ?`,
        [name, who, at, isoInstant(now, ttlMs), at, at, who],
      );
      return changed === 1;
    },
    async renewLocks(owner, ttlMs, now) {
      await db.execute(`UPDATE locks SET expires_at = ? WHERE owner = ?`, [isoInstant(now, ttlMs), ownerIn(owner)]);
    },
    async releaseLock(name, owner) {
      await db.execute(`DELETE FROM locks WHERE name = ? AND owner = ?`, [name, ownerIn(owner)]);
    },
    async listLocks(now) {
      const rows = await db.query<{ name: string; owner: string; acquired_at: string; expires_at: string }>(
        `SELECT name, owner, acquired_at, expires_at FROM locks WHERE expires_at > ? ORDER BY name`,
        [isoInstant(now)],
      );
      return rows.map((r): LockRecord => ({ name: r.name, owner: r.owner, acquiredAt: r.acquired_at, expiresAt: r.expires_at }));
    },
  };
}
