import type { Command } from 'commander';
import { modelsDirFor } from './context.js';
import type { ColumnTrace, LineageAsset, LineageDirection, LineageGraph, LineageView } from '../../transform/index.js';
import { printJson } from '../output.js';

interface LineageOpts {
  columns?: boolean;
  column?: string;
  upstream?: boolean;
  downstream?: boolean;
  format: string;
  json?: boolean;
  projectDir?: string;
}

const FORMATS = ['text', 'json', 'mermaid', 'dot'];

export function registerLineage(program: Command): void {
  program
    .command('lineage')
    .description('asset, model and column lineage from the compiled SQL (no warehouse needed)')
    .argument('<asset>', 'an asset key (marts/dim_games, rawg/games), a model name or a relation')
    .option('--columns', 'every column of the asset and what it derives from')
    .option('--column <name>', 'the full chain of one column, down to the raw JSON field')
    .option('--upstream', 'only what the asset reads (default: both directions)')
    .option('--downstream', 'only what reads the asset')
    .option('--format <format>', 'text, json, mermaid or dot', 'text')
    .option('--json', 'print as JSON (the same as --format json)')
    .option('--project-dir <dir>', 'the models folder (default: GMP_MODELS_DIR, else the models shipped with gmp)')
    .addHelpText(
      'after',
      `
Column lineage comes from DuckDB's parse of each model's compiled SQL (json_serialize_sql, in an
in-memory instance). JSON extraction with a constant path is followed into the raw record
(raw.rawg_games.value→genres[*].id). A column that cannot be resolved is marked unresolved, with
the reason, and falls back to its model's inputs (shown as relation.*).`,
    )
    .action(async (assetArg: string, opts: LineageOpts) => {
      const [{ UsageError }, transform, { duckDbDialect }, { projectLineage }] = await Promise.all([
        import('../../core/index.js'),
        import('../../transform/index.js'),
        import('../../warehouse/index.js'),
        import('../../orchestration/lineage/index.js'),
      ]);
      if (!FORMATS.includes(opts.format)) throw new UsageError(`unknown --format "${opts.format}": expected ${FORMATS.join(', ')}`);
      if (opts.json) {
        if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`use either --json or --format ${opts.format}, not both`);
        opts.format = 'json';
      }
      if (opts.columns && opts.column !== undefined) throw new UsageError('use either --columns or --column NAME, not both');
      const direction: LineageDirection = opts.upstream && !opts.downstream ? 'upstream' : opts.downstream && !opts.upstream ? 'downstream' : 'both';
      const dir = await modelsDirFor(opts.projectDir);
      const project = transform.loadProject({ dir, dialect: duckDbDialect, env: process.env });
      const graph = await projectLineage(project);
      const asset = findAsset(graph, assetArg);
      if (!asset) throw new UsageError(`no asset "${assetArg}" (assets: ${graph.assets.map((a) => a.key).join(', ')})`);

      const draw = (view: LineageView): void => {
        process.stdout.write(opts.format === 'mermaid' ? transform.toMermaid(view) : transform.toDot(view));
      };

      if (opts.column !== undefined) {
        const known = columnsOf(graph, asset);
        if (known && !known.some((c) => c.toLowerCase() === opts.column!.toLowerCase())) {
          throw new UsageError(`${asset.key} has no column "${opts.column}" (columns: ${known.join(', ')})`);
        }
        const trace = transform.traceColumn(graph, asset.relation, opts.column, direction);
        const start = transform.columnNodeId(asset.relation, opts.column);
        const origins = trace.nodes.filter((n) => n.id !== start && !trace.edges.some((e) => e.to === n.id)).map((n) => n.id);
        if (opts.format === 'json') return printJson({ asset: asset.key, relation: asset.relation, column: opts.column, direction, ...trace, origins });
        if (opts.format !== 'text') return draw(transform.columnLineageView([trace]));
        if (direction !== 'downstream') process.stdout.write(`${renderTree(trace, start, 'upstream')}\n`);
        if (direction !== 'upstream') process.stdout.write(`${renderTree(trace, start, 'downstream')}\n`);
        return;
      }

      if (opts.columns) {
        const model = graph.models.find((m) => m.relation === asset.relation);
        const traces: ColumnTrace[] = [];
        const columns = (model?.columns ?? []).map((c) => {
          const trace = transform.traceColumn(graph, asset.relation, c.column, direction);
          traces.push(trace);
          const start = transform.columnNodeId(asset.relation, c.column);
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
        if (opts.format === 'json') return printJson({ asset: asset.key, relation: asset.relation, direction, ...status, columns });
        if (opts.format !== 'text') return draw(transform.columnLineageView(traces));
        const lines = [`${asset.key} (${asset.relation})${status.resolved ? '' : `  UNRESOLVED: ${status.reason}`}`];
        for (const c of columns) {
          const from = c.sources.map((s) => transform.columnNodeId(s.relation, s.column, s.path));
          const fallback = c.resolved ? [] : (c.modelSources ?? []).map((r) => `${r}.*`);
          lines.push(`  ${c.column} ← ${[...from, ...fallback].join(', ') || '(constant)'}${c.resolved ? '' : `  [unresolved: ${c.reason}]`}`);
          if (c.origins && c.origins.join() !== from.join()) lines.push(`      origin: ${c.origins.join(', ')}`);
          if (c.consumers && c.consumers.length > 0) lines.push(`      read by: ${c.consumers.join(', ')}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }

      const up = transform.walkAssets(graph, asset.key, 'upstream');
      const down = transform.walkAssets(graph, asset.key, 'downstream');
      const walk = transform.walkAssets(graph, asset.key, direction);
      if (opts.format === 'json') return printJson({ asset: asset.key, relation: asset.relation, direction, assets: walk.assets, edges: walk.edges });
      if (opts.format !== 'text') return draw(transform.assetLineageView(walk));
      const list = (title: string, assets: LineageAsset[]): string => {
        const others = assets.filter((a) => a.key !== asset.key);
        return `${title} (${others.length}):${others.map((a) => `\n  ${a.key.padEnd(32)} ${a.relation.padEnd(36)} ${a.materialized ?? a.kind}`).join('') || ' none'}`;
      };
      const lines = [`${asset.key}  ${asset.relation}  ${asset.materialized ?? asset.kind}`];
      if (direction !== 'downstream') lines.push(list('upstream', up.assets));
      if (direction !== 'upstream') lines.push(list('downstream', down.assets));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

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

// An indented tree from the column: `←` lines upstream, `→` lines downstream.
function renderTree(trace: ColumnTrace, start: string, direction: 'upstream' | 'downstream'): string {
  const byId = new Map(trace.nodes.map((n) => [n.id, n]));
  const lines: string[] = [];
  const visit = (id: string, depth: number, seen: Set<string>): void => {
    const node = byId.get(id);
    const note = node && !node.resolved ? `  [unresolved: ${node.reason}]` : '';
    lines.push(depth === 0 ? `${id}${note}` : `${'  '.repeat(depth)}${direction === 'upstream' ? '←' : '→'} ${id}${note}`);
    if (seen.has(id)) return;
    const next = trace.edges.filter((e) => (direction === 'upstream' ? e.to === id : e.from === id)).map((e) => (direction === 'upstream' ? e.from : e.to));
    for (const n of [...new Set(next)]) visit(n, depth + 1, new Set([...seen, id]));
  };
  visit(start, 0, new Set());
  return lines.length > 1 ? lines.join('\n') : `${start}: nothing ${direction}`;
}
