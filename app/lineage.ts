import { UsageError } from '../core/index.js';
import { projectLineage } from '../orchestration/index.js';
import {
  assetLineageView,
  columnLineageView,
  columnNodeId,
  loadProject,
  toDot,
  toMermaid,
  traceColumn,
  walkAssets,
  type ColumnTrace,
  type LineageAsset,
  type LineageDirection,
  type LineageGraph,
  type LineageView,
  type ModelLineage,
} from '../transform/index.js';
import { sqlParserDialect } from '../warehouse/index.js';
import { modelsDirFor } from './models-dir.js';

export type { ColumnTrace, LineageAsset, LineageDirection } from '../transform/index.js';

export interface LineageQuery {
  /** An asset key (`marts/dim_games`), a model name or a relation. */
  asset: string;
  /** One column's whole chain. */
  column?: string;
  /** Every column and where it comes from. */
  columns?: boolean;
  direction: LineageDirection;
  /** The models folder (default: GMP_MODELS_DIR, else gmp's own). */
  projectDir?: string;
}

export type ColumnLineageEntry = ModelLineage['columns'][number] & { origins?: string[]; consumers?: string[] };

export type LineageResult =
  | { kind: 'column'; asset: string; relation: string; column: string; direction: LineageDirection; trace: ColumnTrace; start: string; origins: string[] }
  | { kind: 'columns'; asset: string; relation: string; direction: LineageDirection; resolved: boolean; reason?: string; columns: ColumnLineageEntry[]; traces: ColumnTrace[] }
  | {
      kind: 'assets';
      asset: LineageAsset;
      direction: LineageDirection;
      walk: ReturnType<typeof walkAssets>;
      upstream: LineageAsset[];
      downstream: LineageAsset[];
    };

/**
 * Asset, model and column lineage from the compiled SQL (read by the SQL parser; no
 * warehouse, nothing written). Throws UsageError for an unknown asset or column, DefinitionError
 * when the models do not load.
 */
export async function queryLineage(query: LineageQuery): Promise<LineageResult> {
  if (query.columns && query.column !== undefined) throw new UsageError('use either --columns or --column NAME, not both');
  const project = loadProject({ dir: await modelsDirFor(query.projectDir), dialect: sqlParserDialect, env: process.env });
  const graph = await projectLineage(project);
  const asset = findAsset(graph, query.asset);
  if (!asset) throw new UsageError(`no asset "${query.asset}" (assets: ${graph.assets.map((a) => a.key).join(', ')})`);
  const { direction } = query;
  if (query.column !== undefined) {
    const known = columnsOf(graph, asset);
    if (known && !known.some((c) => c.toLowerCase() === query.column!.toLowerCase())) {
      throw new UsageError(`${asset.key} has no column "${query.column}" (columns: ${known.join(', ')})`);
    }
    const trace = traceColumn(graph, asset.relation, query.column, direction);
    const start = columnNodeId(asset.relation, query.column);
    const origins = trace.nodes.filter((n) => n.id !== start && !trace.edges.some((e) => e.to === n.id)).map((n) => n.id);
    return { kind: 'column', asset: asset.key, relation: asset.relation, column: query.column, direction, trace, start, origins };
  }
  if (query.columns) {
    const model = graph.models.find((m) => m.relation === asset.relation);
    const traces: ColumnTrace[] = [];
    const columns = (model?.columns ?? []).map((c) => {
      const trace = traceColumn(graph, asset.relation, c.column, direction);
      traces.push(trace);
      const start = columnNodeId(asset.relation, c.column);
      const ends = (up: boolean): string[] =>
        trace.nodes
          .filter((n) => n.id !== start && (up ? !trace.edges.some((e) => e.to === n.id) : !trace.edges.some((e) => e.from === n.id)))
          .filter((n) => (up ? isUpstreamOf(trace, n.id, start) : isUpstreamOf(trace, start, n.id)))
          .map((n) => n.id);
      return {
        ...c,
        ...(direction !== 'downstream' ? { origins: ends(true) } : {}),
        ...(direction !== 'upstream' ? { consumers: trace.edges.filter((e) => e.from === start).map((e) => e.to) } : {}),
      };
    });
    const status = model ? { resolved: model.resolved, ...(model.reason ? { reason: model.reason } : {}) } : { resolved: false, reason: 'a raw table: columns dt, run_id, value' };
    return { kind: 'columns', asset: asset.key, relation: asset.relation, direction, ...status, columns, traces };
  }
  return {
    kind: 'assets',
    asset,
    direction,
    walk: walkAssets(graph, asset.key, direction),
    upstream: walkAssets(graph, asset.key, 'upstream').assets.filter((a) => a.key !== asset.key),
    downstream: walkAssets(graph, asset.key, 'downstream').assets.filter((a) => a.key !== asset.key),
  };
}

/** A lineage result drawn as a Mermaid or Graphviz (dot) diagram. */
export function lineageDiagram(result: LineageResult, format: 'mermaid' | 'dot'): string {
  const view: LineageView =
    result.kind === 'column' ? columnLineageView([result.trace]) : result.kind === 'columns' ? columnLineageView(result.traces) : assetLineageView(result.walk);
  return format === 'mermaid' ? toMermaid(view) : toDot(view);
}

/** `raw.rawg_games.value→metacritic`: a column's node id, as lineage results name them. */
export { columnNodeId };

// `marts/dim_games`, `dim_games` or `marts.dim_games` all name the same asset.
function findAsset(graph: LineageGraph, name: string): LineageAsset | undefined {
  return graph.assets.find((a) => a.key === name || a.relation === name || a.key.split('/')[1] === name);
}

function columnsOf(graph: LineageGraph, asset: LineageAsset): string[] | undefined {
  const model = graph.models.find((m) => m.relation === asset.relation);
  if (!model) return asset.kind === 'source' ? ['dt', 'run_id', 'value'] : undefined;
  return model.resolved || model.columns.length > 0 ? model.columns.map((c) => c.column) : undefined;
}

function isUpstreamOf(trace: ColumnTrace, from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return trace.edges.some((e) => e.from === from && isUpstreamOf(trace, e.to, to, seen));
}
