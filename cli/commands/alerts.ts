import type { Command } from 'commander';
import type { AlertEvaluation, AlertNotice } from '../../app/index.js';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

/** `gmp alerts list|test`: the alert rules of alerts.yml, their state, and a dry run. */
export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('the alert rules gmp daemon evaluates each loop (alerts.yml): list them, or test them now')
    .addHelpText(
      'after',
      `
Rules are thresholds on the collector's /metrics (GMP_COLLECTOR_URL or collector_url) or on one
value a SQL query returns from the warehouse. gmp daemon sends a notice when a rule starts firing
and once when it resolves, to its log and to the webhook in the variable the file names
(GMP_ALERTS_WEBHOOK_URL, or the one webhook_env names). The file: GMP_ALERTS_FILE, else the alerts.yml gmp ships.

Examples:
  gmp alerts list
  gmp alerts test
  gmp alerts test dau_drop --deliver`,
    );

  alerts
    .command('list')
    .description('every rule, its condition and the state gmp daemon last saw')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listAlerts } = await import('../../app/index.js');
      const listing = listAlerts(ws);
      if (opts.json) return printJson(listing);
      process.stdout.write(`${formatTable(listing.rules.map((r) => ({ alert: r.alert, severity: r.severity, condition: r.condition, state: r.state, since: r.since?.slice(0, 19) ?? '', value: r.value ?? '' })))}\n`);
      const webhook = `${listing.webhook.env} (${listing.webhook.set ? 'set' : 'not set: notices go to the log only'})`;
      process.stdout.write(`rules: ${listing.file}\ncollector: ${listing.collectorUrl ?? 'none (metric rules report no data)'}\nwebhook: ${webhook}\n`);
    });

  alerts
    .command('test')
    .description("evaluate the rules now (or one) and print each outcome; the daemon's memory is left alone")
    .argument('[name]', 'one rule')
    .option('--deliver', 'also send each firing rule to the webhook (webhook_env)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { deliver?: boolean; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { testAlerts } = await import('../../app/index.js');
      const result = await testAlerts(ws, { ...(name ? { only: name } : {}), deliver: opts.deliver === true });
      if (opts.json) printJson(result);
      else process.stdout.write(formatOutcome(result.evaluations, result.notices) + (opts.deliver && result.notices.length === 0 ? 'no rule fires: nothing was sent\n' : ''));
      if (result.notices.some((n) => n.delivered === 'failed')) process.exitCode = 1;
    });
}

function formatOutcome(evaluations: readonly AlertEvaluation[], notices: readonly AlertNotice[]): string {
  const lines = evaluations.map((e) => `${e.alert.padEnd(24)} ${e.state.toUpperCase().padEnd(8)} ${e.condition}: ${e.detail}\n`);
  for (const n of notices) lines.push(n.delivered === 'failed' ? `${n.alert}: not delivered: ${n.error}\n` : `${n.alert}: delivered to the webhook (HTTP ${n.httpStatus})\n`);
  return lines.join('');
}
