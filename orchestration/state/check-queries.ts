import type { SqlDriver } from './sql-driver.js';
import type { CheckResultRecord, CheckStatus, StateStore } from './state-store.js';
import { jsonIn, jsonOut, partitionIn, partitionOut, type Row } from './stored-values.js';

type CheckQueries = Pick<StateStore, 'recordCheckResult' | 'latestCheckResults' | 'listCheckResults'>;

/** Check results, append-only; the latest per (check, partition) is read back. */
export function checkQueries(db: SqlDriver): CheckQueries {
  return {
    async recordCheckResult(c) {
      await db.execute(
        `INSERT INTO check_results (run_id, asset, partition, check_name, status, severity, checked_at, metadata)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [c.runId, c.asset, partitionIn(c.partition), c.check, c.status, c.severity, c.at, jsonIn(c.metadata)],
      );
    },
    async latestCheckResults(asset) {
      // Latest by time, then by insertion; check_results_latest serves the partitioned scan.
      const rows = await db.query(
        `SELECT * FROM (
           SELECT c.*, ROW_NUMBER() OVER (PARTITION BY check_name, partition ORDER BY checked_at DESC, id DESC) AS rn
           FROM check_results c WHERE asset = ?
         ) latest WHERE rn = 1 ORDER BY check_name, partition`,
        [asset],
      );
      return rows.map(toCheckResult);
    },
    async listCheckResults(asset, options) {
      const { before } = options;
      const rows = await db.query(
        `SELECT * FROM check_results WHERE asset = ?${before ? ' AND (checked_at < ? OR (checked_at = ? AND id < ?))' : ''}
         ORDER BY checked_at DESC, id DESC LIMIT ?`,
        [asset, ...(before ? [before.at, before.at, before.id] : []), options.limit],
      );
      return rows.map((r) => ({ ...toCheckResult(r), id: Number(r.id) }));
    },
  };
}

function toCheckResult(r: Row): CheckResultRecord {
  return {
    runId: String(r.run_id),
    asset: String(r.asset),
    partition: partitionOut(r.partition),
    check: String(r.check_name),
    status: r.status as CheckStatus,
    severity: r.severity as CheckResultRecord['severity'],
    at: String(r.checked_at),
    metadata: jsonOut(r.metadata),
  };
}
