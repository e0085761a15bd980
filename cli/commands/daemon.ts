import type { Command } from 'commander';
import type { Clock } from '../../core/index.js';
import type { DaemonEvent, ScheduleSummary } from '../../app/index.js';
import { formatDuration, formatTable, printJson } from '../output.js';
import { VARS_HELP, positiveInt, varsJson } from '../parse-options.js';

/** How long a running tick may go on after SIGTERM/SIGINT before it is canceled. */
const GRACE_MS = 30_000;

export function registerDaemon(program: Command): void {
  program
    .command('daemon')
    .description('run the schedules: daily games at 03:00 UTC, taxonomy snapshots on Mondays at 04:00 UTC')
    .option('--once', 'run the ticks due now, then exit (for cron jobs and tests)')
    .option('--max-catch-up <n>', 'after downtime, run at most the last N missed ticks of each schedule', positiveInt, 3)
    .option('--list', 'print the schedules with their next tick (UTC) and exit')
    .option('--vars <json>', `${VARS_HELP}, for every tick`, varsJson)
    .option('--json', 'print events as JSON lines (with --list: one JSON array)')
    .addHelpText(
      'after',
      `
What runs when (UTC, no daylight saving time):
  daily_games      0 3 * * *   rawg/games+ for the day before the tick (yesterday's partition and
                               everything downstream, scoring with the production models but not
                               training them); the 2025-06-30 03:00 tick materializes 2025-06-29
  weekly_taxonomy  0 4 * * 1   the taxonomy snapshots (tag:snapshot), Mondays
  weekly_models    0 5 * * 1   trains the prediction models (tag:training+), then scores every game, Mondays

Each tick is a normal run (\`gmp runs\` shows it as schedule:<name>). A failed tick is recorded as a
failed run and the daemon goes on; re-run the day with \`gmp materialize\`.

Catch-up: the daemon remembers each schedule's last done tick in the state store. Started after
downtime, it runs the missed ticks oldest first, at most --max-catch-up per schedule; older ones
are reported as skipped (use \`gmp backfill\` for them). On a fresh state it starts from now: only
a tick of the last hour runs (so a cron job's \`gmp daemon --once\` at 03:05 runs the 03:00 tick),
and no history is backfilled.

Stopping: SIGTERM or Ctrl-C stops it cleanly: no new tick starts, a running tick gets up to 30 s to
finish and is then canceled (a canceled tick runs again at the next start), its leases are
released and the exit code is 0. A second signal exits at once.

Several daemons may share one Postgres state store (GMP_STATE_URL=postgres://…), e.g. for
failover: each tick is taken by exactly one of them through a lease, and each (asset, partition)
is never materialized by two processes at once.

Alerts: each loop also evaluates the rules of alerts.yml (GMP_ALERTS_FILE; see \`gmp alerts\`) and
sends a notice when one starts firing and once when it resolves, to its log and to the webhook in
the variable the file names. A bad alerts.yml is reported each loop; the schedules go on.

Exit codes: 0 clean shutdown (or --once done), 1 failure to start (or a failed tick with --once),
2 usage or configuration error.

Testing aid: GMP_NOW=2025-06-30T03:05:00Z makes this command's clock start at that instant (it
then advances in real time). Nothing else reads GMP_NOW; never set it in production.

Examples:
  gmp daemon                  # run until SIGTERM
  gmp daemon --list
  gmp daemon --once --json    # from cron, e.g. 5 3 * * *`,
    )
    .action(async (opts: { once?: boolean; maxCatchUp: number; list?: boolean; json?: boolean; vars?: Record<string, unknown> }, command: Command) => {
      const clock = testingClock(command);
      const { openWorkspace } = await import('../../app/index.js');
      const globals = command.optsWithGlobals<{ logJson?: boolean }>();
      const ws = openWorkspace({ logTo: globals.logJson ? 'stderr' : 'file', ...(clock ? { clock } : {}), ...(opts.vars ? { vars: opts.vars } : {}) });
      if (opts.list) {
        const { listSchedules } = await import('../../app/index.js');
        const schedules = await listSchedules(ws);
        if (opts.json) return printJson(schedules);
        process.stdout.write(`${formatSchedules(schedules)}\n`);
        return;
      }
      const { runDaemon } = await import('../../app/index.js');
      const stop = shutdownSignal();
      const summary = await runDaemon(ws, {
        signal: stop,
        once: opts.once,
        maxCatchUp: opts.maxCatchUp,
        graceMs: GRACE_MS,
        onEvent: (event) => process.stdout.write(opts.json ? `${JSON.stringify(event)}\n` : formatEvent(event)),
      });
      process.exitCode = opts.once && summary.ticks.some((t) => t.status === 'failed') ? 1 : 0;
    });
}

/**
 * GMP_NOW, a testing aid read here only: the built binary cannot be handed a Clock, so e2e tests
 * set the instant the daemon believes it is. The clock then moves at real speed, so leases still
 * expire and run durations stay true.
 */
function testingClock(command: Command): Clock | undefined {
  const text = process.env.GMP_NOW;
  if (text === undefined || text === '') return undefined;
  const start = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(start)) {
    command.error(`error: GMP_NOW="${text}" is not an ISO instant like 2025-06-30T03:05:00Z (it is a testing aid; unset it)`, { exitCode: 2 });
  }
  const offset = start - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Fires on the first SIGTERM/SIGINT; a second one exits at once. */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`${name} again: exiting at once\n`);
      process.exit(130);
    }
    process.stderr.write(`${name}: stopping the daemon (no new ticks; a running tick gets ${GRACE_MS / 1000} s to finish)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

function formatSchedules(schedules: readonly ScheduleSummary[]): string {
  return formatTable(
    schedules.map((s) => ({
      schedule: s.schedule,
      cron: s.cron,
      'next tick (UTC)': s.nextTick ? utc(s.nextTick) : 'never',
      runs: s.nextTarget ? describeTarget(s.nextTarget) : '',
      'last tick': s.lastTick ? utc(s.lastTick) : '',
    })),
  );
}

function describeTarget(t: { select: string; exclude?: string; partition?: string; from?: string; to?: string }): string {
  const partitions = t.partition ?? (t.from && t.to ? `${t.from}..${t.to}` : undefined);
  return `${t.select}${t.exclude ? ` minus ${t.exclude}` : ''}${partitions ? ` [${partitions}]` : ''}`;
}

function formatEvent(e: DaemonEvent): string {
  const at = utc(e.at);
  switch (e.type) {
    case 'started':
      return `${at} daemon started (${e.owner}); next ticks: ${e.schedules.map((s) => `${s.schedule} ${s.nextTick ? utc(s.nextTick) : 'never'}`).join(', ')}\n`;
    case 'tick-started':
      return `${at} ${e.schedule} tick ${utc(e.tick)}: run ${e.runId} materializes ${describeTarget({ select: e.select, exclude: e.exclude })} [${e.partitions}]\n`;
    case 'tick-finished':
      return `${at} ${e.schedule} tick ${utc(e.tick)}: run ${e.runId} ${e.status} in ${formatDuration(e.durationMs)}${e.error ? ` — ${e.error}` : ''}\n`;
    case 'tick-skipped': {
      const why = { 'catch-up-bound': 'skipped: older than the missed ticks --max-catch-up allows', taken: 'taken by another daemon', done: 'already done' }[e.reason];
      return `${at} ${e.schedule} tick ${utc(e.tick)} ${why}\n`;
    }
    case 'waiting':
      return `${at} waiting for ${e.schedule && e.nextTick ? `${e.schedule} at ${utc(e.nextTick)}` : 'nothing: no schedule ever ticks again'}\n`;
    case 'error':
      return `${at} error: ${e.message} (retrying in ${formatDuration(e.retryInMs)})\n`;
    case 'report-delivered':
      return `${at} report ${e.dashboard} (tick ${utc(e.tick)}) delivered: HTTP ${e.httpStatus}\n`;
    case 'report-failed':
      return `${at} report ${e.dashboard} (tick ${utc(e.tick)}) not delivered: ${e.error}\n`;
    case 'alert-firing':
    case 'alert-resolved':
      return `${at} ${e.text}${e.delivered === 'failed' ? ` (not delivered: ${e.error}; retried next loop)` : e.delivered === 'log' ? ' (no webhook set: logged only)' : ''}\n`;
    case 'alerts-invalid':
      return `${at} alerts not evaluated: ${e.message}\n`;
    case 'stopping':
      return `${at} stopping\n`;
    case 'stopped':
      return `${at} daemon stopped\n`;
  }
}

function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}
