import type { Command } from 'commander';
import { formatCount, printJson } from '../output.js';
import { interruptSignal, workspaceFor } from './context.js';

/** `gmp events commit-landed`: the cloud event path's commit step. */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('live events in the lake (commit-landed: the cloud path’s commit step)');

  events
    .command('commit-landed')
    .description('commit the events Firehose landed under raw/events/landing/ into the hourly event partitions, exactly once')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Reads every object under raw/events/landing/dt=<YYYY-MM-DDTHH>/ of the lake (GMP_LAKE_URL), oldest
first: gzip JSON lines, one event a line (as the API Gateway mapping writes them; records without
their newline and broken records are tolerated). Each event is checked against its contract and
committed into raw/events/events/dt=<hour of the event> like gmp collect's; invalid and unparseable
ones go to raw/events/failed_events with their reason; an event_id its hour holds already is
dropped. An object leaves the landing area only after its commit is durable, and a re-run skips
what an interrupted run committed. In the cloud an hourly schedule runs it (infra/README.md).

Examples:
  gmp events commit-landed
  gmp events commit-landed --json`,
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { commitLanded } = await import('../../app/index.js');
      const result = await commitLanded(ws, {
        signal: interruptSignal(),
        onObject: (p) =>
          process.stderr.write(`[${p.index}/${p.total}] ${p.key}: ${p.alreadyCommitted ? 'already committed, removed' : `${formatCount(p.events)} events, ${formatCount(p.failed)} failed`}\n`),
      });
      if (opts.json) return printJson(result);
      process.stdout.write(
        `${result.objects === 0 ? `nothing landed in ${result.lake}` : `${formatCount(result.objects)} landed objects from ${result.lake}`}: ` +
          `${formatCount(result.events)} events committed into ${formatCount(result.partitions)} hourly partitions, ` +
          `${formatCount(result.failed + result.tooLate)} failed (${formatCount(result.unparseable)} not JSON, ${formatCount(result.tooLate)} too late), ` +
          `${formatCount(result.duplicates)} duplicates dropped, ${formatCount(result.alreadyCommitted)} objects already committed\n`,
      );
    });
}
