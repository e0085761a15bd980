import { ModelError, type AssetDefinition, type MaterializeResult, type PartitionKey } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { StateStore } from '../state/index.js';
import { checkAssetKey, type CheckSpec } from './define-check.js';

/** Failing rows kept with a check's result: enough to see the problem, small enough to store. */
const SAMPLE_ROWS = 5;

export interface CheckResources {
  warehouse: Warehouse;
  state: StateStore;
}

interface Outcome {
  partition: PartitionKey | null;
  status: 'passed' | 'warned' | 'failed';
  failing: number;
  samples?: Record<string, unknown>[];
}

/**
 * One graph node per check, partitioned like its asset and depending on it. Running it records the
 * result per partition in the state store; a failing `error` check fails its step. A check with
 * `rangeSql` runs as one step over a backfill's range: one query for the range, and only when it
 * finds rows one per partition, so each partition's result is exact.
 */
export function createCheckAssets<R extends CheckResources>(specs: readonly CheckSpec[], assets: ReadonlyMap<string, AssetDefinition<R>>): AssetDefinition<R>[] {
  return specs.map((spec) => ({
    key: checkAssetKey(spec),
    description: `${spec.severity === 'error' ? (spec.blocking ? 'blocking check' : 'check') : 'warning check'} on ${spec.asset}: ${spec.description}`,
    deps: [{ key: spec.asset }, ...(spec.reads ?? []).filter((k) => k !== spec.asset).map((key) => ({ key }))],
    partitions: assets.get(spec.asset)!.partitions,
    group: 'checks',
    kind: 'check' as const,
    tags: [spec.severity, ...(spec.blocking ? ['blocking'] : [])],
    ...(spec.rangeSql ? { supportsRanges: true } : {}),
    async materialize(ctx): Promise<MaterializeResult> {
      const { warehouse, state } = ctx.resources;
      const tag = { run_id: ctx.runId, asset: ctx.assetKey, partition: ctx.partitionKey };
      const countFailing = async (sql: string): Promise<number> => Number((await warehouse.query(sql, { signal: ctx.signal, tag }))[0]?.failing ?? 0);
      const record = (o: Outcome) =>
        state.recordCheckResult({
          runId: ctx.runId,
          asset: spec.asset,
          partition: o.partition,
          check: spec.name,
          status: o.status,
          severity: spec.severity,
          at: ctx.clock.now().toISOString(),
          metadata: { failing: o.failing, ...(o.samples ? { samples: o.samples } : {}) },
        });
      const checkOne = async (partition: PartitionKey | null): Promise<Outcome> => {
        const failing = await countFailing(spec.sql(warehouse, partition));
        const passed = failing === 0;
        const samples = !passed && spec.sampleSql ? await sampleRows(warehouse, spec.sampleSql(warehouse, partition), ctx.signal) : undefined;
        return { partition, status: passed ? 'passed' : spec.severity === 'warn' ? 'warned' : 'failed', failing, ...(samples ? { samples } : {}) };
      };

      const keys = ctx.partitionKeys;
      let outcomes: Outcome[];
      if (keys.length > 1 && spec.rangeSql && (await countFailing(spec.rangeSql(warehouse, { start: keys[0]!, end: keys[keys.length - 1]! }))) === 0) {
        outcomes = keys.map((partition) => ({ partition, status: 'passed', failing: 0 }));
      } else {
        outcomes = [];
        for (const partition of keys.length > 1 ? keys : [ctx.partitionKey]) outcomes.push(await checkOne(partition));
      }
      for (const o of outcomes) await record(o);

      const failing = outcomes.reduce((n, o) => n + o.failing, 0);
      const failed = outcomes.filter((o) => o.status === 'failed');
      const status = failed.length > 0 ? 'failed' : outcomes.some((o) => o.status === 'warned') ? 'warned' : 'passed';
      const samples = outcomes.find((o) => o.samples)?.samples;
      const where = keys.length > 1 ? ` in ${outcomes.filter((o) => o.failing > 0).length} of ${keys.length} partitions` : '';
      if (status === 'failed') {
        throw new ModelError(`check ${spec.name} on ${spec.asset} failed: ${failing} row(s) violate "${spec.description}"${where}`, {
          // Tells a failed check (its rule found rows) from one that could not run.
          context: { check_status: 'failed', failing, ...(keys.length > 1 ? { failed_partitions: failed.map((o) => o.partition) } : {}) },
          hint: spec.blocking ? 'assets downstream of it were held back; fix the data or the check, then re-run' : undefined,
        });
      }
      if (status === 'warned') ctx.logger.warn({ check: spec.name, failing }, `check warned${where}`);
      return { rows: failing, metadata: { check: spec.name, status, failing, ...(keys.length > 1 ? { partitions: keys.length } : {}), ...(samples ? { samples } : {}) } };
    },
  }));
}

/** Up to SAMPLE_ROWS failing rows, as JSON-safe values (a sample that cannot be read is left out). */
async function sampleRows(warehouse: Warehouse, sql: string, signal: AbortSignal): Promise<Record<string, unknown>[] | undefined> {
  try {
    const rows = await warehouse.query(`SELECT * FROM (${sql}) AS failing_rows LIMIT ${SAMPLE_ROWS}`, { signal });
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonSafe(v)])));
  } catch {
    return undefined;
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v === null || typeof v !== 'object') return v;
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) as unknown;
}
