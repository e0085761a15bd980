import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

export function registerAssets(program: Command): void {
  program
    .command('assets')
    .description('list every asset: key, kind, group, partitions and direct dependencies')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listAssets } = await import('../../app/index.js');
      const assets = listAssets(ws);
      if (opts.json) return printJson(assets);
      process.stdout.write(
        `${formatTable(assets.map((a) => ({ asset: a.key, kind: a.kind, group: a.group, partitions: a.partitions, deps: a.deps.join(', ') })))}\n`,
      );
    });
}
