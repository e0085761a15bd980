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
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('print (or write) the compiled SQL of each model for a target, without touching the warehouse')
    .option('-s, --select <names>', 'model names or globs (stg_*, marts/*), comma or space separated; default every model')
    .option('--target <type>', 'the warehouse type to compile for: duckdb, snowflake or postgres', 'duckdb')
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
      const { compileModels } = await import('../../app/index.js');
      const models = await compileModels({
        target: opts.target,
        ...(opts.select !== undefined ? { select: opts.select } : {}),
        ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
        ...(opts.vars ? { vars: opts.vars } : {}),
      });
      for (const model of models) {
        if (opts.out === undefined) {
          process.stdout.write(`-- ${model.relation} (${model.materialized}, ${model.file})\n${model.sql}\n\n`);
          continue;
        }
        const file = path.join(opts.out, model.schema, `${model.name}.sql`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${model.sql}\n`);
        process.stdout.write(`${file}\n`);
      }
    });
}
