import type { AssetDefinition, PartitionKey } from '../../core/index.js';
import type { PartitionRange, Warehouse } from '../../warehouse/index.js';

/**
 * An asset check: a SQL query counting the rows that violate a rule of `asset` (for one partition,
 * or the whole asset). `error` checks fail their step; `blocking` ones also hold back everything
 * downstream of the asset; `warn` checks only record a warning.
 */
export interface CheckSpec {
  asset: string;
  name: string;
  description: string;
  severity: 'error' | 'warn';
  blocking: boolean;
  /** SQL returning one row with a numeric `failing` column. */
  sql(warehouse: Warehouse, partition: PartitionKey | null): string;
  /**
   * The same over a range of partitions in one query, for checks whose rows of a range are the
   * rows of its partitions (a backfill then checks its range at once; when that finds rows, each
   * partition is checked alone, so results stay per partition).
   */
  rangeSql?(warehouse: Warehouse, range: PartitionRange): string;
  /** Other assets the check reads (a relationships test's parent): its node runs after them too. */
  reads?: string[];
  /** SQL returning some of the failing rows (run only when the check fails), sampled into its result. */
  sampleSql?(warehouse: Warehouse, partition: PartitionKey | null): string;
}

/** The graph key of a check node: `checks/<asset>/<name>` (select them with `checks/rawg/games/*`). */
export function checkAssetKey(spec: Pick<CheckSpec, 'asset' | 'name'>): string {
  return `checks/${spec.asset}/${spec.name}`;
}

/** Dependents of a blocking check's asset also wait for the check (Dagster's blocking checks). */
export function wireBlockingChecks<R>(assets: readonly AssetDefinition<R>[], checks: readonly CheckSpec[]): AssetDefinition<R>[] {
  const blockers = new Map<string, string[]>();
  for (const c of checks) if (c.blocking) blockers.set(c.asset, [...(blockers.get(c.asset) ?? []), checkAssetKey(c)]);
  return assets.map((a) => {
    if (a.kind === 'check') return a;
    const extra = a.deps.flatMap((d) => (blockers.get(d.key) ?? []).map((key) => ({ key, ...(d.mapping ? { mapping: d.mapping } : {}) })));
    return extra.length === 0 ? a : { ...a, deps: [...a.deps, ...extra] };
  });
}
