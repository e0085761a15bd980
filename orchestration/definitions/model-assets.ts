import { ModelError, type AssetDefinition, type MaterializeResult } from '../../core/index.js';
import { modelPartitions, type ModelNode, type Project } from '../../transform/index.js';
import { slicePredicate, type Warehouse } from '../../warehouse/index.js';

export interface ModelResources {
  warehouse: Warehouse;
  project: Project;
  /**
   * Brings the `raw.*` views of `sources` (`{ source, table }`, as `source()` names them) up to
   * date with the lake before the first model reading them runs, once a run.
   */
  syncRawViews(signal: AbortSignal, sources: readonly SourceTable[]): Promise<void>;
}

/** `staging/stg_rawg__games`, `marts/dim_games`. */
export function modelAssetKey(node: Pick<ModelNode, 'schema' | 'name'>): string {
  return `${node.schema}/${node.name}`;
}

/**
 * One asset per model: deps from `ref()` (other models) and `source()` (ingestion assets
 * `<source>/<table>`); partitioned models are daily and rebuild only their slice.
 */
export function createModelAssets<R extends ModelResources>(project: Project, partitionsStart: string): AssetDefinition<R>[] {
  const byName = new Map(project.models.map((m) => [m.name, m]));
  const readsOf = sourcesRead(project);
  return project.models.map((node) => ({
    key: modelAssetKey(node),
    description: node.description,
    deps: [
      ...node.refs.map((r) => ({ key: modelAssetKey(byName.get(r)!) })),
      ...node.sources.map((s) => ({ key: `${s.source}/${s.table}` })),
    ],
    partitions: modelPartitions(node, partitionsStart),
    group: node.schema,
    kind: node.materialized,
    tags: node.tags,
    // delete + insert of a contiguous slice is one statement pair whatever its length.
    supportsRanges: node.materialized === 'partitioned',
    async materialize(ctx): Promise<MaterializeResult> {
      const { warehouse } = ctx.resources;
      const tag = { run_id: ctx.runId, asset: ctx.assetKey, partition: ctx.partitionKey };
      const reads = readsOf(node.name);
      if (reads.length > 0) await ctx.resources.syncRawViews(ctx.signal, reads);
      // One look at the catalog serves both the upstream check and the incremental decision.
      const existing = new Set((await warehouse.listRelations()).map((r) => `${r.schema}.${r.name}`));
      await ensureUpstreamBuilt(ctx.resources, node, byName, existing, ctx.signal, readsOf);
      const keys = ctx.partitionKeys;
      const range = keys.length === 0 ? null : { start: keys[0]!, end: keys[keys.length - 1]! };
      const relationExists = node.materialized === 'incremental' && existing.has(node.relation);
      const statements = ctx.resources.project.statements(node.name, range, { relationExists });
      await warehouse.execute(statements, { signal: ctx.signal, transaction: true, tag });
      if (node.materialized === 'view') return { metadata: { relation: node.relation } };
      const where =
        range === null
          ? ''
          : ` WHERE ${slicePredicate(node.partitionBy ?? 'dt', range, warehouse.dialect.quoteLiteral)}`;
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${node.relation}${where}`, { signal: ctx.signal, tag });
      return { rows: Number(row?.n ?? 0), metadata: { relation: node.relation } };
    },
  }));
}

// A selected model whose upstream model was never built would fail deep inside the SQL engine.
// Missing upstream models are built on the way, upstream first: views cost nothing, and a missing
// unpartitioned table (e.g. the players' staging under a mart that also reads the RAWG marts, on a
// project that never collected an event) is built whole, as its own step would. A missing
// partitioned upstream needs a partition range, so it is reported with the selection that builds it.
async function ensureUpstreamBuilt(
  resources: ModelResources,
  node: ModelNode,
  byName: Map<string, ModelNode>,
  existing: Set<string>,
  signal: AbortSignal,
  readsOf: (name: string) => readonly SourceTable[],
): Promise<void> {
  if (node.refs.length === 0) return;
  // First the whole plan (upstream first), so nothing is built when a partitioned model is missing.
  const missingPartitioned = new Set<ModelNode>();
  const toBuild: ModelNode[] = [];
  const visit = (current: ModelNode): void => {
    for (const up of current.refs.map((r) => byName.get(r)!)) {
      if (existing.has(up.relation) || toBuild.includes(up)) continue;
      if (up.materialized === 'partitioned') {
        missingPartitioned.add(up);
        continue;
      }
      visit(up);
      toBuild.push(up);
    }
  };
  visit(node);
  if (missingPartitioned.size > 0) {
    throw new ModelError(`upstream ${[...missingPartitioned].map((m) => m.relation).join(', ')} does not exist yet`, {
      hint: `materialize it first, e.g. --select '+${modelAssetKey(node)}' (the + includes everything upstream)`,
    });
  }
  for (const up of toBuild) {
    const reads = readsOf(up.name);
    if (reads.length > 0) await resources.syncRawViews(signal, reads);
    await resources.warehouse.execute(resources.project.statements(up.name, null), { signal });
    existing.add(up.relation);
  }
}

type SourceTable = ModelNode['sources'][number];

/** The sources a model's SQL reads: its own `source()` calls and those of the ephemeral models it inlines. */
function sourcesRead(project: Project): (name: string) => readonly SourceTable[] {
  const nodes = new Map(project.nodes.map((n) => [n.name, n]));
  const memo = new Map<string, readonly SourceTable[]>();
  const read = (name: string, seen: Set<string>): SourceTable[] => {
    const node = nodes.get(name);
    if (node === undefined || seen.has(name)) return [];
    seen.add(name);
    const inlined = node.refs.filter((r) => nodes.get(r)?.materialized === 'ephemeral');
    return [...node.sources, ...inlined.flatMap((r) => read(r, seen))];
  };
  return (name) => {
    let reads = memo.get(name);
    if (reads === undefined) {
      const unique = new Map(read(name, new Set()).map((s) => [`${s.source}/${s.table}`, s]));
      memo.set(name, (reads = [...unique.values()]));
    }
    return reads;
  };
}
