import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

export function registerBudget(program: Command): void {
  program
    .command('budget')
    .description('API requests used today and this month against the request budget, per endpoint')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Every request (retries and estimate probes included) is charged, before it is sent, to the ledger
of the endpoint it goes to: RAWG_BASE_URL (https://api.rawg.io/api by default), or "sandbox" for
the built-in sandbox of a keyless \`gmp demo\`. So a test server, a replay or the sandbox never spends
the real key's monthly quota. RAWG_BUDGET_PER_MONTH and RAWG_BUDGET_PER_DAY apply to each ledger; a
request over them is never sent. Backfills refuse plans whose estimate does not fit what remains
(see \`gmp backfill --dry-run\`). The first row is the endpoint the configuration uses now.`,
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { budgetReport } = await import('../../app/index.js');
      const report = await budgetReport(ws);
      if (opts.json) return printJson(report);
      process.stdout.write(
        `${formatTable(
          report.map((b) => ({
            source: b.source,
            endpoint: `${b.endpoint === 'sandbox' ? 'sandbox (built-in, synthetic)' : b.endpoint}${b.inUse ? ' *' : ''}`,
            today: b.usage.day,
            'day limit': b.limits.perDay ?? '-',
            month: b.usage.month,
            'month limit': b.limits.perMonth,
            remaining: b.remaining,
          })),
        )}\n* the endpoint in use (RAWG_BASE_URL)\n`,
      );
    });
}
