import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { modelsDirFor } from './context.js';
import { VARS_HELP, varsJson } from '../parse-options.js';

interface CompileOpts {
  select?: string;
  target: string;
  out?: string;
  projectDir?: string;
  vars?: Record<string, unknown>;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('print (or write) the compiled SQL of each model for a target, without touching the warehouse')
    .option('-s, --select <names>', 'model names or globs (stg_*, marts/*), comma or space separated; default every model')
    .option('--target <type>', 'the warehouse type to compile for: duckdb or snowflake', 'duckdb')
    .option('--out <dir>', 'write <dir>/<schema>/<name>.sql instead of printing')
    .option('--project-dir <dir>', 'the models folder (default: GMP_MODELS_DIR, else the models shipped with gmp)')
    .option('--vars <json>', VARS_HELP, varsJson)
    .addHelpText(
      'after',
      `
Partitioned models compile for all partitions (in_partition() renders true); incremental models
compile as their first, full run. env_var() reads this process's environment.
Exit 2 with every definition problem (file:line) when the project does not load.`,
    )
    .action(async (opts: CompileOpts) => {
      const [{ UsageError }, { loadProject }, { WAREHOUSE_TYPES, dialectFor }] = await Promise.all([
        import('../../core/index.js'),
        import('../../transform/index.js'),
        import('../../warehouse/index.js'),
      ]);
      const target = WAREHOUSE_TYPES.find((t) => t === opts.target);
      if (target === undefined) throw new UsageError(`unknown --target "${opts.target}": expected ${WAREHOUSE_TYPES.join(' or ')}`);
      const dir = await modelsDirFor(opts.projectDir);
      const project = loadProject({ dir, dialect: dialectFor(target), targetName: target, vars: opts.vars ?? {}, env: process.env });
      const selected = selectModels(project.nodes, opts.select, (message) => new UsageError(message));
      for (const node of selected) {
        const sql = `${project.compile(node.name, null)}\n`;
        if (opts.out === undefined) {
          process.stdout.write(`-- ${node.relation} (${node.materialized}, ${node.file})\n${sql}\n`);
          continue;
        }
        const file = path.join(opts.out, node.schema, `${node.name}.sql`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, sql);
        process.stdout.write(`${file}\n`);
      }
    });
}

function selectModels<N extends { name: string; schema: string }>(nodes: readonly N[], select: string | undefined, usage: (m: string) => Error): N[] {
  if (select === undefined) return [...nodes];
  const patterns = select.split(/[\s,]+/).filter((p) => p !== '');
  for (const p of patterns) {
    if (!nodes.some((n) => matches(p, n))) {
      throw usage(`no model matches "${p}" (models: ${nodes.map((n) => n.name).slice(0, 8).join(', ')}${nodes.length > 8 ? ', …' : ''})`);
    }
  }
  return nodes.filter((n) => patterns.some((p) => matches(p, n)));
}

// A pattern matches the bare name or `schema/name`, so `stg_*` and `marts/*` both work.
function matches(pattern: string, node: { name: string; schema: string }): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(node.name) || re.test(`${node.schema}/${node.name}`);
}
