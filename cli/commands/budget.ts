import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

export function registerBudget(program: Command): void {
  program
    .command('budget')
    .description('API requests used today and this month against the request budget, per source')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Every request (retries included) is charged to a ledger in the state store before it is sent; a
request over RAWG_BUDGET_PER_MONTH or RAWG_BUDGET_PER_DAY is never sent. Backfills refuse plans
whose estimate does not fit what remains (see \`gmp backfill --dry-run\`).`,
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { budgetReport } = await import('../../orchestration/index.js');
      const report = await budgetReport(ws);
      if (opts.json) return printJson(report);
      process.stdout.write(
        `${formatTable(
          report.map((b) => ({
            source: b.source,
            today: b.usage.day,
            'day limit': b.limits.perDay ?? '-',
            month: b.usage.month,
            'month limit': b.limits.perMonth,
            remaining: b.remaining,
          })),
        )}\n`,
      );
    });
}
