import { ModelError, type AssetDefinition, type MaterializeResult } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { StateStore } from '../state/index.js';
import { checkAssetKey, type CheckSpec } from './define-check.js';

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
    deps: [{ key: spec.asset }],
    partitions: assets.get(spec.asset)!.partitions,
    group: 'checks',
    kind: 'check' as const,
    tags: [spec.severity, ...(spec.blocking ? ['blocking'] : [])],
    async materialize(ctx): Promise<MaterializeResult> {
      const { warehouse, state } = ctx.resources;
      const [row] = await warehouse.query(spec.sql(warehouse, ctx.partitionKey), { signal: ctx.signal });
      const failing = Number(row?.failing ?? 0);
      const passed = failing === 0;
      const status = passed ? 'passed' : spec.severity === 'warn' ? 'warned' : 'failed';
      await state.recordCheckResult({
        runId: ctx.runId,
        asset: spec.asset,
        partition: ctx.partitionKey,
        check: spec.name,
        status,
        severity: spec.severity,
        at: ctx.clock.now().toISOString(),
        metadata: { failing },
      });
      if (status === 'failed') {
        throw new ModelError(`check ${spec.name} on ${spec.asset} failed: ${failing} row(s) violate "${spec.description}"`, {
          hint: spec.blocking ? 'assets downstream of it were held back; fix the data or the check, then re-run' : undefined,
        });
      }
      if (status === 'warned') ctx.logger.warn({ check: spec.name, failing }, 'check warned');
      return { rows: failing, metadata: { check: spec.name, status, failing } };
    },
  }));
}
