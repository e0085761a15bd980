import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run one read-only SQL query against the warehouse')
    .argument('<sql>', 'the SQL, e.g. "select * from marts.dim_games limit 5"')
    .option('--json', 'print an array of row objects')
    .addHelpText('after', '\nSchemas: raw (lake files), staging (typed, deduplicated), marts (tables). DuckDB opens the file read-only, or while a run holds it the marts the last run published (raw and staging are not published); Snowflake accepts one SELECT / WITH … SELECT / SHOW / DESCRIBE statement and refuses anything else.')
    .action(async (sql: string, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { queryWarehouse } = await import('../../app/index.js');
      const rows = await queryWarehouse(ws, sql, {
        onSnapshot: (s) => process.stderr.write(`note: a run holds the warehouse; reading the snapshot published at ${s.publishedAt}${s.runId ? ` by run ${s.runId}` : ''} (${s.path})\n`),
      });
      if (opts.json) return printJson(rows);
      process.stdout.write(`${formatTable(rows)}\n`);
    });
}
