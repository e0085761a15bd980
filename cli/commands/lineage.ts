import type { Command } from 'commander';
import type { ColumnTrace, LineageAsset, LineageDirection } from '../../app/index.js';
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
      const [{ UsageError }, app] = await Promise.all([import('../../core/index.js'), import('../../app/index.js')]);
      if (!FORMATS.includes(opts.format)) throw new UsageError(`unknown --format "${opts.format}": expected ${FORMATS.join(', ')}`);
      if (opts.json) {
        if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`use either --json or --format ${opts.format}, not both`);
        opts.format = 'json';
      }
      const direction: LineageDirection = opts.upstream && !opts.downstream ? 'upstream' : opts.downstream && !opts.upstream ? 'downstream' : 'both';
      const result = await app.queryLineage({
        asset: assetArg,
        direction,
        ...(opts.column !== undefined ? { column: opts.column } : {}),
        ...(opts.columns ? { columns: true } : {}),
        ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
      });
      if (opts.format === 'mermaid' || opts.format === 'dot') return void process.stdout.write(app.lineageDiagram(result, opts.format));
      if (result.kind === 'column') {
        const { trace, start, origins } = result;
        if (opts.format === 'json') return printJson({ asset: result.asset, relation: result.relation, column: result.column, direction, ...trace, origins });
        if (direction !== 'downstream') process.stdout.write(`${renderTree(trace, start, 'upstream')}\n`);
        if (direction !== 'upstream') process.stdout.write(`${renderTree(trace, start, 'downstream')}\n`);
        return;
      }
      if (result.kind === 'columns') {
        const { columns } = result;
        const status = { resolved: result.resolved, ...(result.reason ? { reason: result.reason } : {}) };
        if (opts.format === 'json') return printJson({ asset: result.asset, relation: result.relation, direction, ...status, columns });
        const lines = [`${result.asset} (${result.relation})${status.resolved ? '' : `  UNRESOLVED: ${status.reason}`}`];
        for (const c of columns) {
          const from = c.sources.map((s) => app.columnNodeId(s.relation, s.column, s.path));
          const fallback = c.resolved ? [] : (c.modelSources ?? []).map((r) => `${r}.*`);
          lines.push(`  ${c.column} ← ${[...from, ...fallback].join(', ') || '(constant)'}${c.resolved ? '' : `  [unresolved: ${c.reason}]`}`);
          if (c.origins && c.origins.join() !== from.join()) lines.push(`      origin: ${c.origins.join(', ')}`);
          if (c.consumers && c.consumers.length > 0) lines.push(`      read by: ${c.consumers.join(', ')}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }
      const { asset, walk } = result;
      if (opts.format === 'json') return printJson({ asset: asset.key, relation: asset.relation, direction, assets: walk.assets, edges: walk.edges });
      // Columns as wide as their longest entry, upstream and downstream alike.
      const listed = [...(direction !== 'downstream' ? result.upstream : []), ...(direction !== 'upstream' ? result.downstream : [])];
      const keyWidth = Math.max(0, ...listed.map((a) => a.key.length));
      const relationWidth = Math.max(0, ...listed.map((a) => a.relation.length));
      const list = (title: string, assets: LineageAsset[]): string =>
        `${title} (${assets.length}):${assets.map((a) => `\n  ${a.key.padEnd(keyWidth)}  ${a.relation.padEnd(relationWidth)}  ${a.materialized ?? a.kind}`).join('') || ' none'}`;
      const lines = [`${asset.key}  ${asset.relation}  ${asset.materialized ?? asset.kind}`];
      if (direction !== 'downstream') lines.push(list('upstream', result.upstream));
      if (direction !== 'upstream') lines.push(list('downstream', result.downstream));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
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
