import { StateError } from '../../core/index.js';
import { lockInTransaction } from './dialect-sql.js';
import type { SqlDriver } from './sql-driver.js';
import type { StateStore } from './state-store.js';
import { isoInstant } from './stored-values.js';

type LedgerQueries = Pick<StateStore, 'chargeRequests' | 'requestUsage' | 'listRequestUsage'>;

// Namespace of the ledger's two-key advisory locks (the migration lock uses the one-key space).
const LEDGER_LOCK_NAMESPACE = 4711;

const UPSERT = `INSERT INTO request_ledger (source, day, requests) VALUES (?, ?, ?)
  ON CONFLICT (source, day) DO UPDATE SET requests = request_ledger.requests + excluded.requests`;

/** The request ledger, per ledger key (`<source>@<endpoint>`): a row per UTC day; a month is the sum of its days. */
export function ledgerQueries(db: SqlDriver): LedgerQueries {
  const usage = async (q: SqlDriver, source: string, at: string) => {
    const day = isoInstant(at).slice(0, 10);
    const month = day.slice(0, 7);
    const [row] = await q.query<{ day_total: number | string | null; month_total: number | string | null }>(
      `SELECT SUM(CASE WHEN day = ? THEN requests ELSE 0 END) AS day_total, SUM(requests) AS month_total
       FROM request_ledger WHERE source = ? AND day >= ? AND day <= ?`,
      [day, source, `${month}-01`, `${month}-31`],
    );
    return { dayKey: day, day: Number(row?.day_total ?? 0), month: Number(row?.month_total ?? 0) };
  };
  return {
    async chargeRequests(source, n, at, limits = {}) {
      if (!Number.isInteger(n) || n < 0) {
        throw new StateError(`cannot charge ${n} requests to ${source}`, { hint: 'charge a whole, non-negative number of requests' });
      }
      if (limits.perDay === undefined && limits.perMonth === undefined) {
        // Nothing to check: the upsert alone is atomic.
        await db.execute(UPSERT, [source, isoInstant(at).slice(0, 10), n]);
        return true;
      }
      return db.transaction(async (tx) => {
        // A row lock on the day would not stop a charge on another day of the same month, so the
        // lock is on (source, month) itself (a no-op where writers are serialized anyway).
        await lockInTransaction(tx, LEDGER_LOCK_NAMESPACE, JSON.stringify([source, isoInstant(at).slice(0, 7)]));
        const used = await usage(tx, source, at);
        if (limits.perDay !== undefined && used.day + n > limits.perDay) return false;
        if (limits.perMonth !== undefined && used.month + n > limits.perMonth) return false;
        await tx.execute(UPSERT, [source, used.dayKey, n]);
        return true;
      });
    },
    async requestUsage(source, at) {
      const { day, month } = await usage(db, source, at);
      return { day, month };
    },
    async listRequestUsage(at) {
      const day = isoInstant(at).slice(0, 10);
      const month = day.slice(0, 7);
      const rows = await db.query<{ source: string; day_total: number | string | null; month_total: number | string | null }>(
        `SELECT source, SUM(CASE WHEN day = ? THEN requests ELSE 0 END) AS day_total, SUM(requests) AS month_total
         FROM request_ledger WHERE day >= ? AND day <= ? GROUP BY source ORDER BY source`,
        [day, `${month}-01`, `${month}-31`],
      );
      return rows
        .map((r) => ({ source: r.source, day: Number(r.day_total ?? 0), month: Number(r.month_total ?? 0) }))
        .filter((r) => r.month > 0);
    },
  };
}
