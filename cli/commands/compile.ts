import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VARS_HELP, varsJson } from '../parse-options.js';

interface CompileOpts {
  select?: string;
  target: string;
  out?: string;
  projectDir?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
}

// stdout is written in chunks of about this many characters: one write per model costs more than compiling it.
const CHUNK = 1 << 20;

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('print (or write) the compiled SQL of each model for a target, without touching the warehouse')
    .option('-s, --select <names>', 'model names or globs (stg_*, marts/*), comma or space separated; default every model')
    .option('--target <type>', 'the warehouse type to compile for: duckdb, snowflake or postgres', 'duckdb')
    .option('--out <dir>', 'write <dir>/<schema>/<name>.sql instead of printing')
    .option('--project-dir <dir>', 'the models folder (default: GMP_MODELS_DIR, else the models shipped with gmp)')
    .option('--vars <json>', VARS_HELP, varsJson)
    .option('--no-partial-parse', 'parse every model again, ignoring (and not writing) the partial-parse cache in GMP_HOME/partial-parse')
    .addHelpText(
      'after',
      `
Partitioned models compile for all partitions (in_partition() renders true); incremental models
compile as their first, full run. env_var() reads this process's environment.
Partial parsing (as dbt's): GMP_HOME/partial-parse keeps each model's parse, keyed by its file's
content, the macros it reads, what its refs and sources resolve to, the target and --vars; an
unchanged model is not parsed again. Models reading env_var() are always parsed.
Exit 2 with every definition problem (file:line) when the project does not load.`,
    )
    .action(async (opts: CompileOpts) => {
      const { compileModels } = await import('../../app/compile-models.js');
      const { models } = await compileModels({
        target: opts.target,
        ...(opts.select !== undefined ? { select: opts.select } : {}),
        ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
        ...(opts.vars ? { vars: opts.vars } : {}),
        partialParse: opts.partialParse,
      });
      let pending = '';
      const flush = (): void => {
        if (pending !== '') process.stdout.write(pending);
        pending = '';
      };
      const made = new Set<string>();
      for (const model of models) {
        if (opts.out === undefined) {
          pending += `-- ${model.relation} (${model.materialized}, ${model.file})\n${model.sql}\n\n`;
        } else {
          const dir = path.join(opts.out, model.schema);
          if (!made.has(dir)) mkdirSync(dir, { recursive: true });
          made.add(dir);
          const file = path.join(dir, `${model.name}.sql`);
          writeFileSync(file, `${model.sql}\n`);
          pending += `${file}\n`;
        }
        if (pending.length >= CHUNK) flush();
      }
      flush();
    });
}
