import { ModelError, type AssetDefinition, type MaterializeResult } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { StateStore } from '../state/index.js';
import { checkAssetKey, type CheckSpec } from './define-check.js';

/** Failing rows kept with a check's result: enough to see the problem, small enough to store. */
const SAMPLE_ROWS = 5;

export interface CheckResources {
  warehouse: Warehouse;
  state: StateStore;
}

/**
 * One graph node per check, partitioned like its asset and depending on it. Running it records the
 * result per partition in the state store; a failing `error` check fails its step.
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
    async materialize(ctx): Promise<MaterializeResult> {
      const { warehouse, state } = ctx.resources;
      const tag = { run_id: ctx.runId, asset: ctx.assetKey, partition: ctx.partitionKey };
      const [row] = await warehouse.query(spec.sql(warehouse, ctx.partitionKey), { signal: ctx.signal, tag });
      const failing = Number(row?.failing ?? 0);
      const passed = failing === 0;
      const samples = !passed && spec.sampleSql ? await sampleRows(warehouse, spec.sampleSql(warehouse, ctx.partitionKey), ctx.signal) : undefined;
      const status = passed ? 'passed' : spec.severity === 'warn' ? 'warned' : 'failed';
      await state.recordCheckResult({
        runId: ctx.runId,
        asset: spec.asset,
        partition: ctx.partitionKey,
        check: spec.name,
        status,
        severity: spec.severity,
        at: ctx.clock.now().toISOString(),
        metadata: { failing, ...(samples ? { samples } : {}) },
      });
      if (status === 'failed') {
        throw new ModelError(`check ${spec.name} on ${spec.asset} failed: ${failing} row(s) violate "${spec.description}"`, {
          // Tells a failed check (its rule found rows) from one that could not run.
          context: { check_status: 'failed', failing },
          hint: spec.blocking ? 'assets downstream of it were held back; fix the data or the check, then re-run' : undefined,
        });
      }
      if (status === 'warned') ctx.logger.warn({ check: spec.name, failing }, 'check warned');
      return { rows: failing, metadata: { check: spec.name, status, failing, ...(samples ? { samples } : {}) } };
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
