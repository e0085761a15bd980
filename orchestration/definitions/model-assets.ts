import { ModelError, dailyPartitions, unpartitioned, type AssetDefinition, type MaterializeResult } from '../../core/index.js';
import type { ModelNode, Project } from '../../transform/index.js';
import type { Warehouse } from '../../warehouse/index.js';

export interface ModelResources {
  warehouse: Warehouse;
  project: Project;
  /** Brings the `raw.*` views up to date with the lake before the first model runs. */
  syncRawViews(signal: AbortSignal): Promise<void>;
}

/** `staging/stg_rawg__games`, `marts/dim_games`. */
export function modelAssetKey(node: Pick<ModelNode, 'schema' | 'name'>): string {
  return `${node.schema}/${node.name}`;
}

/**
 * One asset per model: deps from `ref()` (other models) and `source()` (ingestion assets
 * `<source>/<table>`); partitioned models are daily and rebuild only their slice.
 */
export function createModelAssets(project: Project, partitionsStart: string): AssetDefinition<ModelResources>[] {
  const byName = new Map(project.models.map((m) => [m.name, m]));
  const key = modelAssetKey;
  return project.models.map((node) => ({
    key: modelAssetKey(node),
    description: node.description,
    deps: [
      ...node.refs.map((r) => ({ key: modelAssetKey(byName.get(r)!) })),
      ...node.sources.map((s) => ({ key: `${s.source}/${s.table}` })),
    ],
    partitions: node.materialized === 'partitioned' ? dailyPartitions(partitionsStart) : unpartitioned,
    group: node.schema,
    kind: node.materialized,
    tags: node.tags,
    async materialize(ctx): Promise<MaterializeResult> {
      const { warehouse } = ctx.resources;
      if (node.sources.length > 0) await ctx.resources.syncRawViews(ctx.signal);
      await assertUpstreamBuilt(warehouse, node, byName, key);
      const range = ctx.partitionKey === null ? null : { start: ctx.partitionKey, end: ctx.partitionKey };
      const statements = ctx.resources.project.statements(node.name, range);
      await warehouse.execute(statements, { signal: ctx.signal, transaction: true });
      if (node.materialized === 'view') return { metadata: { relation: node.relation } };
      const where =
        range === null
          ? ''
          : ` WHERE ${node.partitionBy ?? 'dt'} BETWEEN DATE ${warehouse.dialect.quoteLiteral(range.start)} AND DATE ${warehouse.dialect.quoteLiteral(range.end)}`;
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${node.relation}${where}`, { signal: ctx.signal });
      return { rows: Number(row?.n ?? 0), metadata: { relation: node.relation } };
    },
  }));
}

// A selected model whose upstream model was never built would fail deep inside the SQL engine;
// say which relation is missing and how to build it instead.
async function assertUpstreamBuilt(
  warehouse: Warehouse,
  node: ModelNode,
  byName: Map<string, ModelNode>,
  key: (n: ModelNode) => string,
): Promise<void> {
  if (node.refs.length === 0) return;
  const existing = new Set((await warehouse.listRelations()).map((r) => `${r.schema}.${r.name}`));
  const missing = node.refs.map((r) => byName.get(r)!).filter((up) => !existing.has(up.relation));
  if (missing.length > 0) {
    throw new ModelError(`upstream ${missing.map((m) => m.relation).join(', ')} does not exist yet`, {
      hint: `materialize it first, e.g. --select '+${key(node)}' (the + includes everything upstream)`,
    });
  }
}
