import type { SqlDriver, SqlValue } from './sql-driver.js';
import type {
  BackfillPartitionRecord,
  BackfillPartitionStatus,
  BackfillRecord,
  BackfillStatus,
  StateStore,
} from './state-store.js';
import { chunks, jsonIn, jsonOut, partitionIn, partitionOut, textIn, textOut, type Row } from './stored-values.js';

type BackfillQueries = Pick<
  StateStore,
  | 'createBackfill'
  | 'getBackfill'
  | 'listBackfills'
  | 'setBackfillStatus'
  | 'listBackfillPartitions'
  | 'getBackfillPartition'
  | 'updateBackfillPartitions'
  | 'countBackfillPartitions'
>;

const PARTITION_STATUSES: readonly BackfillPartitionStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'canceled'];
// Rows per multi-row statement: few round trips, far below both engines' parameter limits.
const INSERT_ROWS = 1000;
const UPDATE_ROWS = 500;

/** Backfills and the status of each of their (asset, partition)s. */
export function backfillQueries(db: SqlDriver): BackfillQueries {
  return {
    async createBackfill(b, partitions) {
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO backfills (backfill_id, selection, from_key, to_key, status, created_at, updated_at, options)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [b.backfillId, textIn(b.selection), b.fromKey, b.toKey, b.status, b.createdAt, b.createdAt, jsonIn(b.options ?? {})],
        );
        let ordinal = 0;
        for (const chunk of chunks(partitions, INSERT_ROWS)) {
          const params: SqlValue[] = [];
          for (const p of chunk) params.push(b.backfillId, p.asset, partitionIn(p.partition), ordinal++, b.createdAt);
          // A repeated (asset, partition) is kept once, at its first position.
          await tx.execute(
            `INSERT INTO backfill_partitions (backfill_id, asset, partition, ordinal, updated_at, status, attempts)
             VALUES ${chunk.map(() => `(?, ?, ?, ?, ?, 'pending', 0)`).join(', ')}
             ON CONFLICT (backfill_id, asset, partition) DO NOTHING`,
            params,
          );
        }
      });
    },
    async getBackfill(backfillId) {
      const [row] = await db.query(`SELECT * FROM backfills WHERE backfill_id = ?`, [backfillId]);
      return row ? toBackfill(row) : undefined;
    },
    async listBackfills(options = {}) {
      const rows = await db.query(`SELECT * FROM backfills ORDER BY created_at DESC, id DESC LIMIT ?`, [options.limit ?? 20]);
      return rows.map(toBackfill);
    },
    async setBackfillStatus(backfillId, status, at) {
      await db.execute(`UPDATE backfills SET status = ?, updated_at = ? WHERE backfill_id = ?`, [status, at, backfillId]);
    },
    async listBackfillPartitions(backfillId, options = {}) {
      const statuses = options.status;
      if (statuses !== undefined && statuses.length === 0) return [];
      const filter = statuses === undefined ? '' : `AND status IN (${statuses.map(() => '?').join(', ')})`;
      const rows = await db.query(
        `SELECT * FROM backfill_partitions WHERE backfill_id = ? ${filter} ORDER BY ordinal`,
        [backfillId, ...(statuses ?? [])],
      );
      return rows.map(toBackfillPartition);
    },
    async getBackfillPartition(backfillId, asset, partition) {
      const [row] = await db.query(`SELECT * FROM backfill_partitions WHERE backfill_id = ? AND asset = ? AND partition = ?`, [
        backfillId,
        asset,
        partitionIn(partition),
      ]);
      return row ? toBackfillPartition(row) : undefined;
    },
    async updateBackfillPartitions(backfillId, updates, at) {
      if (updates.length === 0) return;
      await db.transaction(async (tx) => {
        for (const batch of uniqueKeyBatches(updates)) {
          const params: SqlValue[] = [];
          // An omitted runId keeps the current run; an omitted error clears it (it explained the old status).
          for (const u of batch) {
            params.push(u.asset, partitionIn(u.partition), u.status, u.runId ?? null, u.runId === undefined ? 'keep' : 'set', textIn(u.error));
          }
          params.push(at, backfillId);
          await tx.execute(
            `WITH u (asset, partition, status, run_id, run_action, error) AS (VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')})
             UPDATE backfill_partitions SET
               status = u.status,
               run_id = CASE WHEN u.run_action = 'keep' THEN backfill_partitions.run_id ELSE u.run_id END,
               error = u.error,
               attempts = backfill_partitions.attempts + CASE WHEN u.status = 'running' THEN 1 ELSE 0 END,
               updated_at = ?
             FROM u
             WHERE backfill_partitions.backfill_id = ? AND backfill_partitions.asset = u.asset AND backfill_partitions.partition = u.partition`,
            params,
          );
        }
        await tx.execute(`UPDATE backfills SET updated_at = ? WHERE backfill_id = ?`, [at, backfillId]);
      });
    },
    async countBackfillPartitions(backfillId) {
      const counts = Object.fromEntries(PARTITION_STATUSES.map((s) => [s, 0])) as Record<BackfillPartitionStatus, number>;
      const rows = await db.query<{ status: BackfillPartitionStatus; n: number | string }>(
        `SELECT status, COUNT(*) AS n FROM backfill_partitions WHERE backfill_id = ? GROUP BY status`,
        [backfillId],
      );
      for (const r of rows) counts[r.status] = Number(r.n);
      return counts;
    },
  };
}

/**
 * Consecutive runs of updates with distinct keys: one multi-row UPDATE applies a key at most
 * once, so a key updated twice starts a new batch and the updates still apply in order.
 */
function uniqueKeyBatches<T extends { asset: string; partition: string | null }>(updates: readonly T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let keys = new Set<string>();
  for (const u of updates) {
    const key = `${u.asset}\u0000${partitionIn(u.partition)}`;
    if (keys.has(key) || batch.length >= UPDATE_ROWS) {
      batches.push(batch);
      batch = [];
      keys = new Set();
    }
    keys.add(key);
    batch.push(u);
  }
  batches.push(batch);
  return batches;
}

function toBackfill(r: Row): BackfillRecord {
  return {
    backfillId: String(r.backfill_id),
    selection: String(r.selection),
    fromKey: String(r.from_key),
    toKey: String(r.to_key),
    status: r.status as BackfillStatus,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    options: jsonOut(r.options) ?? {},
  };
}

function toBackfillPartition(r: Row): BackfillPartitionRecord {
  return {
    backfillId: String(r.backfill_id),
    asset: String(r.asset),
    partition: partitionOut(r.partition),
    status: r.status as BackfillPartitionStatus,
    runId: textOut(r.run_id),
    attempts: Number(r.attempts),
    updatedAt: String(r.updated_at),
    error: textOut(r.error),
  };
}
