import { redactText, redactValue } from '../../core/index.js';
import type { AliasChange, MlRun, ModelVersion, TrackingStore } from '../../ml/index.js';
import { lockInTransaction } from './dialect-sql.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

// Any fixed key below 2^31 (two-key advisory locks take two int4): numbering versions of one model is serialized per model name.
const VERSION_LOCK_KEY = 47_110_601;

type Row = Record<string, unknown>;

/** Params and tags as stored: JSON, with any registered secret redacted. */
const json = (value: Record<string, string>): string => JSON.stringify(redactValue(value));

/** Training runs, their metric points and the model registry (ml/'s TrackingStore). */
export function mlQueries(db: SqlDriver): TrackingStore {
  const runOf = (row: Row, metrics: MlRun['metrics']): MlRun => ({
    runId: String(row.run_id),
    experiment: String(row.experiment),
    name: String(row.name),
    status: String(row.status) as MlRun['status'],
    startTime: Number(row.start_time),
    endTime: row.end_time === null || row.end_time === undefined ? null : Number(row.end_time),
    params: JSON.parse(String(row.params)) as MlRun['params'],
    tags: JSON.parse(String(row.tags)) as MlRun['tags'],
    artifacts: JSON.parse(String(row.artifacts)) as MlRun['artifacts'],
    metrics,
    error: row.error === null || row.error === undefined ? null : String(row.error),
  });
  const pointOf = (row: Row): MlRun['metrics'][number] => ({ key: String(row.key), value: Number(row.value), step: Number(row.step), timestamp: Number(row.timestamp) });
  const aliasesOf = async (model?: string): Promise<Map<string, string[]>> => {
    const rows = await db.query(`SELECT model, alias, version FROM ml_model_aliases ${model === undefined ? '' : 'WHERE model = ?'} ORDER BY alias`, model === undefined ? [] : [model]);
    const byVersion = new Map<string, string[]>();
    for (const r of rows) {
      const k = `${String(r.model)}\u0000${Number(r.version)}`;
      byVersion.set(k, [...(byVersion.get(k) ?? []), String(r.alias)]);
    }
    return byVersion;
  };
  const logMlMetrics: TrackingStore['logMlMetrics'] = async (runId, points) => {
    if (points.length === 0) return;
    await db.transaction(async (tx) => {
      for (const p of points) {
        await tx.execute(
          `INSERT INTO ml_metrics (run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp`,
          [runId, p.key, p.step, p.value, p.timestamp],
        );
      }
    });
  };
  return {
    async createMlRun(run) {
      await db.execute(
        `INSERT INTO ml_runs (run_id, experiment, name, status, start_time, end_time, params, tags, artifacts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [run.runId, run.experiment, run.name, run.status, run.startTime, run.endTime, json(run.params), json(run.tags), JSON.stringify(run.artifacts), run.error === null ? null : redactText(run.error)],
      );
      if (run.metrics.length > 0) await logMlMetrics(run.runId, run.metrics);
    },
    async updateMlRun(runId, patch) {
      await db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT * FROM ml_runs WHERE run_id = ?`, [runId]);
        if (row === undefined) throw new Error(`no ML run ${runId}`);
        const run = runOf(row, []);
        await tx.execute(`UPDATE ml_runs SET status = ?, end_time = ?, error = ?, params = ?, tags = ?, artifacts = ? WHERE run_id = ?`, [
          patch.status ?? run.status,
          patch.endTime === undefined ? run.endTime : patch.endTime,
          patch.error === undefined ? run.error : patch.error === null ? null : redactText(patch.error),
          json({ ...run.params, ...patch.params }),
          json({ ...run.tags, ...patch.tags }),
          JSON.stringify([...run.artifacts.filter((a) => !patch.artifacts?.some((b) => b.path === a.path)), ...(patch.artifacts ?? [])]),
          runId,
        ]);
      });
    },
    logMlMetrics,
    async getMlRun(runId) {
      const [row] = await db.query(`SELECT * FROM ml_runs WHERE run_id = ?`, [runId]);
      if (row === undefined) return undefined;
      const points = await db.query(`SELECT key, step, value, timestamp FROM ml_metrics WHERE run_id = ? ORDER BY key, step`, [runId]);
      return runOf(row, points.map(pointOf));
    },
    async listMlRuns(options = {}) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (options.experiment !== undefined) {
        where.push('experiment = ?');
        params.push(options.experiment);
      }
      if (options.status !== undefined) {
        where.push('status = ?');
        params.push(options.status);
      }
      const rows = await db.query(
        `SELECT * FROM ml_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_time DESC, run_id DESC LIMIT ?`,
        [...params, options.limit ?? 100],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => String(r.run_id));
      // Each metric's value at its last step.
      const last = await db.query(
        `SELECT m.run_id, m.key, m.step, m.value, m.timestamp FROM ml_metrics AS m
         JOIN (SELECT run_id, key, MAX(step) AS step FROM ml_metrics WHERE run_id IN (${ids.map(() => '?').join(', ')}) GROUP BY run_id, key) AS l
           ON l.run_id = m.run_id AND l.key = m.key AND l.step = m.step
         ORDER BY m.key`,
        ids,
      );
      const byRun = new Map<string, MlRun['metrics']>();
      for (const r of last) byRun.set(String(r.run_id), [...(byRun.get(String(r.run_id)) ?? []), pointOf(r)]);
      return rows.map((r) => runOf(r, byRun.get(String(r.run_id)) ?? []));
    },
    async createModelVersion(model, runId, at) {
      const version = await db.transaction(async (tx) => {
        await lockInTransaction(tx, VERSION_LOCK_KEY, model);
        const [row] = await tx.query(`SELECT MAX(version) AS v FROM ml_model_versions WHERE model = ?`, [model]);
        const next = Number(row?.v ?? 0) + 1;
        await tx.execute(`INSERT INTO ml_model_versions (model, version, run_id, created_at) VALUES (?, ?, ?, ?)`, [model, next, runId, at]);
        return next;
      });
      return { model, version, runId, createdAt: at, aliases: [] };
    },
    async listModelVersions(model) {
      const rows = await db.query(
        `SELECT model, version, run_id, created_at FROM ml_model_versions ${model === undefined ? '' : 'WHERE model = ?'} ORDER BY model, version DESC`,
        model === undefined ? [] : [model],
      );
      const aliases = await aliasesOf(model);
      return rows.map(
        (r): ModelVersion => ({
          model: String(r.model),
          version: Number(r.version),
          runId: String(r.run_id),
          createdAt: String(r.created_at),
          aliases: aliases.get(`${String(r.model)}\u0000${Number(r.version)}`) ?? [],
        }),
      );
    },
    async setModelAlias(change) {
      await db.transaction(async (tx) => {
        await tx.execute(`INSERT INTO ml_model_aliases (model, alias, version) VALUES (?, ?, ?) ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version`, [
          change.model,
          change.alias,
          change.version,
        ]);
        await tx.execute(`INSERT INTO ml_alias_changes (model, alias, version, at, by_user, reason) VALUES (?, ?, ?, ?, ?, ?)`, [
          change.model,
          change.alias,
          change.version,
          change.at,
          change.by,
          change.reason,
        ]);
      });
    },
    async listAliasChanges(model, limit = 50) {
      const rows = await db.query(`SELECT model, alias, version, at, by_user, reason FROM ml_alias_changes WHERE model = ? ORDER BY at DESC, id DESC LIMIT ?`, [model, limit]);
      return rows.map((r): AliasChange => ({ model: String(r.model), alias: String(r.alias), version: Number(r.version), at: String(r.at), by: String(r.by_user), reason: String(r.reason) }));
    },
  };
}
