import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { LakeSimulationReport, SendSimulationReport, SimulatedWindow } from '../../app/index.js';
import { formatCount, formatDuration, printJson } from '../output.js';
import { positiveInt } from '../parse-options.js';
import { interruptSignal, workspaceFor } from './context.js';

interface SimulateOpts {
  to?: string;
  lake?: boolean;
  players: number;
  seed: number;
  days?: number;
  end?: string;
  rate?: number;
  duration?: number;
  events?: number;
  batchSize: number;
  concurrency: number;
  writeKey?: string;
  writeKeyFile?: string;
  duplicates?: number;
  late?: number;
  anonymous?: number;
  json?: boolean;
}

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
const share = (value: string): number => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.01');
  return n;
};

const HELP = `
Players arrive every day of the window (so retention cohorts exist) with a persona: retrogamer
(old games), collector (wishlists and buys a lot), casual (views a lot, buys rarely and on
discount), hardcore and whale (long play sessions, in-game purchases); they churn at persona
rates. Store visits and play sessions follow a Markov chain; a session's events are seconds to
minutes apart, sessions more than 30 minutes. Games come from marts.dim_games once a run has
built it, else from the RAWG sandbox's catalogue. The data is SYNTHETIC, and deterministic: the
same seed and options give the same events.

Two sinks:
  --to URL   a collector (gmp collect): the last --days (default 1) up to now, in batches at up to
             --rate events a second; a batch is resent after 429/503 (honouring Retry-After) until
             acknowledged. Stops when the window's events are sent, after --duration seconds or
             --events events, or on Ctrl-C (what was not acknowledged is reported).
  --lake     straight into the lake's hourly partitions (raw/events/events/dt=YYYY-MM-DDTHH), a
             backfill of --days days (default 7) ending --end (default yesterday). Running the
             same command again writes nothing; another seed adds another population.

Noise for exercising the pipeline (default 0, so that independent computations agree):
  --duplicates 0.01 resends 1% of events with the same event_id; --late 0.01 delivers 1% of
  events 1-6 hours after they happened.

Examples:
  gmp simulate --to http://127.0.0.1:8088 --rate 2000 --duration 60 --players 500 --seed 7
  gmp simulate --lake --days 7 --players 2000 --seed 7
  gmp simulate --lake --days 30 --end 2026-01-31 --players 5000 --seed 1 --duplicates 0.01 --late 0.01`;

/** `gmp simulate`: seeded synthetic players, to a collector or into the lake. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('simulate players (personas, sessions, store and game events) into a collector or the lake: synthetic, seeded')
    .option('--to <url>', 'send to this collector (gmp collect), e.g. http://127.0.0.1:8088')
    .option('--lake', "write straight into the lake's hourly event partitions (a backfill)")
    .option('--players <n>', 'players arriving over the window', positiveInt, 500)
    .option('--seed <n>', 'the seed: same seed and options, same events', integer, 1)
    .option('--days <n>', 'days simulated (default 1 with --to, 7 with --lake)', positiveInt)
    .option('--end <day>', 'with --lake: the last day simulated, YYYY-MM-DD (default yesterday)')
    .option('--rate <n>', 'with --to: at most this many events a second (default: as fast as acknowledged)', positiveInt)
    .option('--duration <seconds>', 'with --to: stop sending after this many seconds', positiveInt)
    .option('--events <n>', 'with --to: stop after this many events', positiveInt)
    .option('--batch-size <n>', 'with --to: events a request', positiveInt, 500)
    .option('--concurrency <n>', 'with --to: requests in flight', positiveInt, 4)
    .option('--write-key-file <file>', "with --to: a file holding the source's write key (gmp sources add NAME)")
    .option('--write-key <key>', 'with --to: the write key itself (visible to other users of this machine: prefer the file)')
    .option('--duplicates <share>', 'share of events resent with the same event_id', share)
    .option('--late <share>', 'share of events delivered 1-6 hours late', share)
    .option('--anonymous <share>', 'share of store visits made signed out (default 0.1)', share)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', HELP)
    .action(async (opts: SimulateOpts, command: Command) => {
      const { registerSecret, UsageError } = await import('../../core/index.js');
      if (Boolean(opts.to) === Boolean(opts.lake)) throw new UsageError('choose one sink: --to URL (a collector) or --lake', { hint: 'gmp simulate --help shows both' });
      if (opts.lake && (opts.rate || opts.duration || opts.events || opts.writeKey || opts.writeKeyFile)) {
        throw new UsageError('--rate, --duration, --events and --write-key go with --to, not --lake');
      }
      if (opts.to && opts.end) throw new UsageError('--end goes with --lake; --to simulates the days up to now');
      const ws = await workspaceFor(command);
      const app = await import('../../app/index.js');
      const spec = {
        seed: opts.seed,
        players: opts.players,
        ...(opts.duplicates === undefined ? {} : { duplicateRatio: opts.duplicates }),
        ...(opts.late === undefined ? {} : { lateRatio: opts.late }),
        ...(opts.anonymous === undefined ? {} : { anonymousRatio: opts.anonymous }),
      };
      const signal = interruptSignal();
      const status = statusLine();
      if (opts.lake) {
        const report = await app
          .writeSimulatedHistory(ws, { ...spec, days: opts.days ?? 7, ...(opts.end ? { end: opts.end } : {}), signal, onProgress: (p) => status(`${formatCount(p.events)} events committed, through ${p.through.slice(0, 16)}Z`) })
          .finally(() => status(null));
        return opts.json ? printJson(report) : void process.stdout.write(lakeSummary(report));
      }
      const writeKey = opts.writeKeyFile ? readFileSync(opts.writeKeyFile, 'utf8').trim() : opts.writeKey;
      if (writeKey) registerSecret(writeKey);
      const report = await app
        .sendSimulatedEvents(ws, {
          ...spec,
          to: opts.to!,
          days: opts.days ?? 1,
          batchSize: opts.batchSize,
          concurrency: opts.concurrency,
          signal,
          ...(writeKey ? { writeKey } : {}),
          ...(opts.rate ? { rate: opts.rate } : {}),
          ...(opts.duration ? { durationMs: opts.duration * 1000 } : {}),
          ...(opts.events ? { maxEvents: opts.events } : {}),
          onProgress: (r) => status(`${formatCount(r.sent)} sent · ${formatCount(r.accepted + r.duplicates)} acknowledged · ${formatCount(r.retries)} retried`),
        })
        .finally(() => status(null));
      if (report.pending > 0 || report.failed > 0) process.exitCode = 1;
      return opts.json ? printJson(report) : void process.stdout.write(sendSummary(opts.to!, report));
    });
}

function windowLine(w: SimulatedWindow): string {
  const from = w.gamesFrom === 'warehouse' ? 'marts.dim_games' : w.gamesFrom === 'sandbox' ? "the RAWG sandbox's synthetic catalogue" : 'the given list';
  return `SYNTHETIC player data: ${formatCount(w.players)} simulated players, ${w.from.slice(0, 16)}Z .. ${w.to.slice(0, 16)}Z, ${formatCount(w.games)} games from ${from}.`;
}

function lakeSummary(r: LakeSimulationReport): string {
  const lines = [windowLine(r.window)];
  if (r.partitions === 0 && r.skipped > 0) lines.push(`Already in the lake: this simulation (${r.logId}) was written before, nothing added.`);
  else lines.push(`Wrote ${formatCount(r.events)} events into ${formatCount(r.partitions)} hourly partitions of raw/events/events in ${formatDuration(r.seconds * 1000)} (run ${r.logId}${r.skipped ? `; ${formatCount(r.skipped)} partitions held it already` : ''}).`);
  if (r.failed > 0) lines.push(`${formatCount(r.failed)} events were refused by their contracts (kept in raw/events/failed_events).`);
  lines.push(`Lake: raw/events/events/dt=<hour>/ of ${r.lake}, where gmp collect commits too.`);
  return `${lines.join('\n')}\n`;
}

function sendSummary(url: string, r: SendSimulationReport): string {
  const perSecond = r.seconds > 0 ? Math.round((r.accepted + r.duplicates) / r.seconds) : 0;
  const why = { done: "the window's events are all sent", duration: '--duration reached', count: '--events reached', signal: 'interrupted' }[r.stoppedBy];
  const lines = [
    windowLine(r.window),
    `Sent ${formatCount(r.sent)} events to ${url} in ${formatDuration(r.seconds * 1000)} (${formatCount(perSecond)} acknowledged a second), ${why}.`,
    `  accepted ${formatCount(r.accepted)} · duplicates ${formatCount(r.duplicates)} · refused ${formatCount(r.failed)} · requests ${formatCount(r.requests)} (${formatCount(r.retries)} retried)`,
  ];
  if (r.pending > 0) lines.push(`  ${formatCount(r.pending)} events were sent but not acknowledged before the stop: the collector may or may not hold them.`);
  for (const f of r.failures) lines.push(`  refused ${f.event_id ?? '(no id)'}: ${f.reason}: ${f.detail}`);
  return `${lines.join('\n')}\n`;
}

/** One status line on stderr when it is a terminal (null clears it); silent in pipes and CI. */
function statusLine(stream: NodeJS.WriteStream = process.stderr): (text: string | null) => void {
  if (!stream.isTTY) return () => undefined;
  let last = 0;
  return (text) => {
    if (text === null) return void stream.write('\r\x1b[2K');
    const now = performance.now();
    if (now - last < 200) return;
    last = now;
    stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 100) - 1)}`);
  };
}
