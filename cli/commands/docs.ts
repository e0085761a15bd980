import path from 'node:path';
import type { Command } from 'commander';
import { workspaceFor } from './context.js';

/** `gmp docs [--out DIR]`: one offline HTML page (and docs.json) of assets, models, columns, tests and lineage. */
export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('write a static, offline docs page: assets, models, columns, tests, checks and the lineage graph')
    .option('--out <dir>', 'the folder to write index.html and docs.json into (default: GMP_HOME/docs)')
    .addHelpText(
      'after',
      `
index.html is self-contained (inline CSS and script, no network): open it from file://.
docs.json beside it holds the same data. Column lineage comes from DuckDB's parse of each
model's compiled SQL in an in-memory instance: no warehouse, no API. Prints the index.html path.`,
    )
    .action(async (opts: { out?: string }, command: Command) => {
      const ws = await workspaceFor(command);
      const { writeDocs } = await import('../../app/index.js');
      const out = path.resolve(opts.out ?? path.join(ws.config.home, 'docs'));
      const { html } = await writeDocs(ws, out);
      process.stdout.write(`${html}\n`);
    });
}
