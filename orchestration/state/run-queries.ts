import { UsageError } from '../../core/index.js';
import { dialectSql } from './dialect-sql.js';
import { cutPartitionRuns } from './partition-runs.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';
import type { MaterializationRecord, RunEventRecord, RunRecord, RunStatus, RunStepSummary, StateStore, StepStatus } from './state-store.js';
import { jsonIn, jsonOut, numberOut, partitionIn, partitionOut, textIn, textOut, type Row } from './stored-values.js';

type RunQueries = Pick<
  StateStore,
  | 'createRun'
  | 'finishRun'
  | 'heartbeatRun'
  | 'requestRunCancel'
  | 'appendEvent'
  | 'recordMaterialization'
  | 'getRun'
  | 'listRuns'
  | 'pageRuns'
  | 'listEvents'
  | 'pageEvents'
  | 'listMaterializations'
  | 'summarizeRunSteps'
  | 'latestByPartition'
  | 'partitionRuns'
>;

// SQLite never flattens an ordered subquery into an aggregate, so wrapping this keeps its order.
const LATEST_SQL = 'SELECT partition, status, run_id, ended_at FROM asset_partitions WHERE asset = ? ORDER BY partition';

/** Runs, their events, materializations and the latest status per (asset, partition). */
export function runQueries(db: SqlDriver): RunQueries {
  const order = dialectSql(db).runInsertionOrder;
  return {
    async createRun(run) {
      await db.execute(
        `INSERT INTO runs (run_id, kind, status, selection, partitions, started_at, owner, heartbeat_at)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
        [run.runId, run.kind, textIn(run.selection), run.partitions, run.startedAt, textIn(run.owner), run.heartbeatAt ?? null],
      );
    },
    async finishRun(runId, status, endedAt, error = null) {
      await db.execute(`UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE run_id = ?`, [status, endedAt, textIn(error), runId]);
    },
    async heartbeatRun(runId, at) {
      await db.execute(`UPDATE runs SET heartbeat_at = ? WHERE run_id = ?`, [at, runId]);
    },
    async requestRunCancel(runId, at) {
      const changed = await db.execute(`UPDATE runs SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE run_id = ? AND status = 'running'`, [at, runId]);
      return changed > 0;
    },
    async appendEvent(e) {
      await db.execute(
        `INSERT INTO run_events (run_id, ts, type, asset, partition, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [e.runId, e.ts, e.type, e.asset, e.partition, textIn(e.message), jsonIn(e.data)],
      );
    },
    async recordMaterialization(m) {
      const partition = partitionIn(m.partition);
      const values: SqlValue[] = [
        m.runId, m.asset, partition, m.status, m.startedAt, m.endedAt, Math.round(m.durationMs),
        m.rows, m.pages, m.requests, jsonIn(m.metadata), textIn(m.error),
      ];
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms, rows, pages, requests, metadata, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          values,
        );
        // A skipped or canceled step says nothing new about the partition's data.
        if (m.status !== 'succeeded' && m.status !== 'failed') return;
        await tx.execute(
          `INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (asset, partition) DO UPDATE SET status = excluded.status, run_id = excluded.run_id, ended_at = excluded.ended_at`,
          [m.asset, partition, m.status, m.runId, m.endedAt],
        );
      });
    },
    async getRun(runId) {
      const [row] = await db.query(`SELECT * FROM runs WHERE run_id = ?`, [runId]);
      return row ? toRun(row) : undefined;
    },
    async listRuns(options = {}) {
      const rows = await db.query(`SELECT * FROM runs ORDER BY started_at DESC, ${order} DESC LIMIT ?`, [options.limit ?? 20]);
      return rows.map(toRun);
    },
    async pageRuns(options) {
      const where: string[] = [];
      const args: SqlValue[] = [];
      if (options.status !== undefined) {
        where.push('status = ?');
        args.push(options.status);
      }
      if (options.kind !== undefined) {
        where.push('kind = ?');
        args.push(options.kind);
      }
      if (options.after !== undefined) {
        const [startedAt, ord] = decodeRunCursor(options.after);
        where.push(`(started_at < ? OR (started_at = ? AND ${order} < ?))`);
        args.push(startedAt, startedAt, ord);
      }
      const rows = await db.query(
        `SELECT *, ${order} AS run_ord FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY started_at DESC, ${order} DESC LIMIT ?`,
        [...args, options.limit + 1],
      );
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      const next = rows.length > options.limit && last ? encodeRunCursor(String(last.started_at), Number(last.run_ord)) : null;
      return { runs: page.map(toRun), next };
    },
    async listEvents(runId) {
      const rows = await db.query(`SELECT * FROM run_events WHERE run_id = ? ORDER BY id`, [runId]);
      return rows.map(toEvent);
    },
    async pageEvents(runId, options) {
      const where = ['run_id = ?', 'id > ?'];
      const args: SqlValue[] = [runId, options.afterId ?? 0];
      if (options.types !== undefined && options.types.length > 0) {
        where.push(`type IN (${options.types.map(() => '?').join(', ')})`);
        args.push(...options.types);
      }
      if (options.asset !== undefined) {
        where.push('asset = ?');
        args.push(options.asset);
      }
      if (options.partition !== undefined) {
        where.push('partition = ?');
        args.push(options.partition);
      }
      if (options.text !== undefined) {
        // Case-insensitive substring of the message, LIKE's wildcards taken literally.
        where.push(`LOWER(COALESCE(message, '')) LIKE ? ESCAPE '\\'`);
        args.push(`%${options.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      const rows = await db.query(`SELECT * FROM run_events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...args, options.limit]);
      return rows.map(toEvent);
    },
    async listMaterializations(options = {}) {
      const where: string[] = [];
      const args: string[] = [];
      if (options.runId !== undefined) {
        where.push('run_id = ?');
        args.push(options.runId);
      }
      if (options.asset !== undefined) {
        where.push('asset = ?');
        args.push(options.asset);
      }
      if (options.status !== undefined) {
        where.push('status = ?');
        args.push(options.status);
      }
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
      return (await db.query(`SELECT * FROM materializations ${filter} ORDER BY id${options.newestFirst ? ' DESC' : ''}${limit}`, args)).map(toMaterialization);
    },
    async summarizeRunSteps(runIds) {
      const summaries = new Map<string, RunStepSummary>();
      if (runIds.length === 0) return summaries;
      const rows = await db.query(
        `SELECT run_id, COUNT(*) AS total,
           SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
           SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
           SUM(CASE WHEN status = 'failed' AND asset LIKE 'checks/%' THEN 1 ELSE 0 END) AS checks_failed,
           COALESCE(SUM(rows), 0) AS row_sum, COALESCE(SUM(requests), 0) AS request_sum
         FROM materializations WHERE run_id IN (${runIds.map(() => '?').join(', ')}) GROUP BY run_id`,
        [...runIds],
      );
      for (const r of rows) {
        const total = Number(r.total);
        const succeeded = Number(r.succeeded);
        const failed = Number(r.failed);
        summaries.set(String(r.run_id), { total, succeeded, failed, other: total - succeeded - failed, rows: Number(r.row_sum), requests: Number(r.request_sum), checksFailed: Number(r.checks_failed) });
      }
      return summaries;
    },
    async latestByPartition(asset) {
      // A range of the (asset, partition) primary key, read in key order (`gmp partitions` reads
      // 100,000 of these), packed into one JSON text where that is faster (it halves SQLite's time).
      const packRows = dialectSql(db).packRows;
      if (packRows !== null) {
        const [row] = await db.query<{ json: string }>(packRows(LATEST_SQL, ['partition', 'status', 'run_id', 'ended_at']), [asset]);
        const rows = JSON.parse(row?.json ?? '[]') as [string, StepStatus, string, string][];
        return rows.map(([partition, status, runId, endedAt]) => ({ partition: partitionOut(partition), status, runId, endedAt }));
      }
      const rows = await db.query<{ partition: string; status: StepStatus; run_id: string; ended_at: string }>(LATEST_SQL, [asset]);
      return rows.map((r) => ({ partition: partitionOut(r.partition), status: r.status, runId: r.run_id, endedAt: r.ended_at }));
    },
    async partitionRuns(asset) {
      // Cut here, not in SQL: over 100,000 rows a gaps-and-islands query (window functions, a day
      // number per key) took SQLite and Postgres 100 to 200 ms, the two packed texts 10 to 40 ms,
      // and cutting them 5 (warm) to 25 (cold).
      const [row] = await db.query<{ keys: string | null; statuses: string | null }>(dialectSql(db).packedPartitionStatuses, [asset]);
      return row?.keys == null || row.statuses == null ? [] : cutPartitionRuns(row.keys, row.statuses);
    },
  };
}

function toRun(r: Row): RunRecord {
  return {
    runId: String(r.run_id),
    owner: textOut(r.owner),
    heartbeatAt: textOut(r.heartbeat_at),
    kind: String(r.kind),
    status: r.status as RunStatus,
    selection: String(r.selection),
    partitions: String(r.partitions),
    startedAt: String(r.started_at),
    endedAt: textOut(r.ended_at),
    error: textOut(r.error),
    cancelRequestedAt: textOut(r.cancel_requested_at),
  };
}

function toEvent(r: Row): RunEventRecord {
  return {
    id: Number(r.id),
    runId: String(r.run_id),
    ts: String(r.ts),
    type: r.type as RunEventRecord['type'],
    asset: textOut(r.asset),
    partition: textOut(r.partition),
    message: textOut(r.message),
    data: jsonOut(r.data),
  };
}

function toMaterialization(r: Row): MaterializationRecord {
  return {
    runId: String(r.run_id),
    asset: String(r.asset),
    partition: partitionOut(r.partition),
    status: r.status as StepStatus,
    startedAt: String(r.started_at),
    endedAt: String(r.ended_at),
    durationMs: Number(r.duration_ms),
    rows: numberOut(r.rows),
    pages: numberOut(r.pages),
    requests: numberOut(r.requests),
    metadata: jsonOut(r.metadata),
    error: textOut(r.error),
  };
}

// A run cursor: its start and its insertion order, which break ties of the same instant.
function encodeRunCursor(startedAt: string, ord: number): string {
  return Buffer.from(JSON.stringify([startedAt, ord])).toString('base64url');
}

function decodeRunCursor(cursor: string): [string, number] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1])) return [value[0], value[1] as number];
  } catch {
    // fall through
  }
  throw new UsageError('the cursor is not one this server handed out', { hint: 'start again without a cursor' });
}
