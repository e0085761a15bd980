import type { Command } from 'commander';
import { printJson } from '../output.js';
import { workspaceFor } from './context.js';

export function registerPartitions(program: Command): void {
  program
    .command('partitions')
    .description("show an asset's materialized, failed and missing partitions as compact ranges")
    .argument('<asset>', 'asset key, e.g. rawg/games')
    .option('--json', 'print the ranges and counts as JSON')
    .addHelpText('after', '\nExample output:\n  rawg/games: 2015-01-01..2024-12-31 missing (3653), 2025-01-01..2025-01-30 ok (30), 2025-01-31 failed')
    .action(async (asset: string, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { partitionStatus, formatPartitionRanges } = await import('../../app/index.js');
      const report = await partitionStatus(ws, asset);
      if (opts.json) return printJson(report);
      const { ok, failed, missing } = report.counts;
      if (report.note) process.stderr.write(`note: ${report.note}\n`);
      if (!report.partitioned) {
        process.stdout.write(`${asset}: not partitioned, ${report.ranges[0]!.status}\n`);
        return;
      }
      process.stdout.write(`${asset}: ${formatPartitionRanges(report.ranges)}\n${ok} ok, ${failed} failed, ${missing} missing\n`);
    });
}
