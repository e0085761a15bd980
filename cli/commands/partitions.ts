import type { Command } from 'commander';
import { printJson } from '../output.js';
import { workspaceOptions } from './context.js';

export function registerPartitions(program: Command): void {
  program
    .command('partitions')
    .description("show an asset's materialized, failed and missing partitions as compact ranges (hourly assets: hours per day)")
    .argument('<asset>', 'asset key, e.g. rawg/games')
    .option('--json', 'print the ranges and counts as JSON')
    .option('--hours', 'hourly assets: print the hour ranges instead of the hours per day')
    .addHelpText(
      'after',
      [
        '',
        'Example output:',
        '  rawg/games: 2015-01-01..2024-12-31 missing (3653), 2025-01-01..2025-01-30 ok (30), 2025-01-31 failed',
        'An hourly asset (UTC hours) is shown per day:',
        '  marts/mart_events_hourly: hourly partitions (UTC), per day:',
        '    2026-11-01..2026-11-30 missing (720 hours)',
        '    2026-12-01 22 ok, 1 failed, 1 missing',
      ].join('\n'),
    )
    .action(async (asset: string, opts: { json?: boolean; hours?: boolean }, command: Command) => {
      // Not app/index.js: an ingestion asset's ranges need neither the models nor the engine.
      const { readPartitionStatus, formatHoursByDay, formatPartitionRanges } = await import('../../app/partition-status-entry.js');
      const report = await readPartitionStatus(asset, workspaceOptions(command));
      if (opts.json) return printJson(report);
      const { ok, failed, missing } = report.counts;
      if (report.note) process.stderr.write(`note: ${report.note}\n`);
      if (!report.partitioned) {
        process.stdout.write(`${asset}: not partitioned, ${report.ranges[0]!.status}\n`);
        return;
      }
      if (report.grain !== 'hour') {
        process.stdout.write(`${asset}: ${formatPartitionRanges(report.ranges)}\n${ok} ok, ${failed} failed, ${missing} missing\n`);
        return;
      }
      const lines = opts.hours ? report.ranges.map((r) => formatPartitionRanges([r])) : formatHoursByDay(report.days ?? []);
      const heading = opts.hours ? 'hourly partitions (UTC):' : 'hourly partitions (UTC), per day:';
      process.stdout.write(`${asset}: ${heading}\n${lines.map((l) => `  ${l}\n`).join('')}${ok} ok, ${failed} failed, ${missing} missing hours\n`);
    });
}
