import type { Command } from 'commander';
import type { CompactEventsResult } from '../../app/index.js';
import { formatCount, printJson } from '../output.js';
import { positiveInt } from '../parse-options.js';
import { createProgress } from '../progress.js';
import { createWarehouseWaitDisplay } from '../warehouse-wait.js';
import { interruptSignal, workspaceFor } from './context.js';

/** `gmp events commit-landed`: the cloud event path's commit step. */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('live events in the lake (commit-landed: the cloud path’s commit step; compact: old hours into daily Parquet)');

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

  events
    .command('compact')
    .description('compact the hourly event partitions of old UTC days into one daily Parquet each (the events/compact_events asset)')
    .option('--older-than-hours <n>', 'compact days whose hours all ended this long ago (default GMP_EVENTS_COMPACT_AFTER_HOURS, 72)', positiveInt)
    .option('--dry-run', 'list the days it would compact; write nothing')
    .option('--verify', "check every compacted day's Parquet against its manifest's SHA-256; compact nothing")
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Every UTC day of raw/events/events and raw/events/failed_events whose 24 hours all ended
--older-than-hours ago becomes one Parquet, raw/events/<entity>/dt=<YYYY-MM-DD>/run=<run>/part-00000.parquet,
with one row per event (deduplicated by event_id, the first copy kept; failed events only when
byte-identical), its original hour and run, and the whole event as JSON. The daily manifest records
the file's SHA-256 and the hourly files it absorbed; the hourly partitions are emptied after it is
durable and their files deleted once the run has published the warehouse snapshot. raw.events and
raw.failed_events read the daily Parquet and the hourly files alike, each event once. An event
committed into a compacted day later (a late one) is read from its hour until the next compaction
merges it. Safe to interrupt and re-run. It runs as a recorded run (gmp runs); also
gmp materialize --select events/compact_events.

Examples:
  gmp events compact --dry-run
  gmp events compact
  gmp events compact --older-than-hours 96 --json
  gmp events compact --verify`,
    )
    .action(async (opts: { olderThanHours?: number; dryRun?: boolean; verify?: boolean; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      if (opts.verify) {
        const { verifyCompactedEvents } = await import('../../app/index.js');
        const result = await verifyCompactedEvents(ws, {
          signal: interruptSignal(),
          onFile: (c) => process.stderr.write(`${c.ok ? 'ok' : 'DAMAGED'} ${c.entity} ${c.day} ${c.key}${c.problem ? `: ${c.problem}` : ''}\n`),
        });
        const damaged = result.checks.filter((c) => !c.ok);
        if (opts.json) printJson(result);
        else
          process.stdout.write(
            `${formatCount(result.checks.length)} compacted files in ${result.lake} checked, ${formatCount(damaged.length)} damaged` +
              `${damaged.length > 0 ? ': restore each from a backup or an earlier version of the object (its hourly sources are gone)' : ''}\n`,
          );
        process.exitCode = damaged.length === 0 ? 0 : 1;
        return;
      }
      const { compactEvents } = await import('../../app/index.js');
      const progress = createProgress();
      const result = await compactEvents(ws, {
        ...(opts.olderThanHours !== undefined ? { olderThanHours: opts.olderThanHours } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        signal: interruptSignal(),
        onProgress: progress.onProgress,
        onWarehouseWait: createWarehouseWaitDisplay(),
      }).finally(progress.done);
      if (opts.json) printJson(result);
      else process.stdout.write(formatCompaction(result));
      process.exitCode = result.run === undefined || result.run.status === 'succeeded' ? 0 : 1;
    });
}

function formatCompaction(result: CompactEventsResult): string {
  const lines: string[] = [];
  for (const d of result.days) {
    const what =
      d.action === 'cleaned'
        ? result.dryRun
          ? 'already compacted; the files its hours still hold would be removed'
          : `already compacted, ${formatCount(d.emptied)} hourly partitions emptied, leftover files removed`
        : result.dryRun
          ? `would ${d.action === 'merged' ? 'merge' : 'compact'} ${formatCount(d.hours)} hourly partitions, ${formatCount(d.eventsIn)} events, ${formatBytes(d.bytesBefore)}`
          : `${d.action}: ${formatCount(d.eventsIn)} → ${formatCount(d.eventsOut ?? 0)} events, ${formatBytes(d.bytesBefore)} → ${formatBytes(d.bytesAfter ?? 0)}, ${formatCount(d.emptied)} of ${formatCount(d.hours)} hourly partitions emptied`;
    lines.push(`${d.entity} ${d.day}: ${what}`);
  }
  const t = result.totals;
  const head = `${result.dryRun ? 'dry run: ' : ''}${result.lake}, days older than ${result.olderThanHours} h`;
  if (result.days.length === 0) lines.push(`${head}: nothing to compact`);
  else if (result.dryRun) lines.push(`${head}: ${formatCount(t.daysCompacted)} days to compact, ${formatCount(t.eventsIn)} events, ${formatBytes(t.bytesBefore)}`);
  else
    lines.push(
      `${head}: ${formatCount(t.daysCompacted)} days compacted, ${formatCount(t.hoursEmptied)} hourly partitions emptied, ` +
        `${formatCount(t.eventsIn)} events in, ${formatCount(t.eventsOut)} out (${formatCount(t.eventsIn - t.eventsOut)} duplicates dropped), ` +
        `${formatBytes(t.bytesBefore)} → ${formatBytes(t.bytesAfter)}`,
    );
  if (result.run?.status !== undefined && result.run.status !== 'succeeded') lines.push(`run ${result.run.runId} ${result.run.status}${result.run.error ? `: ${result.run.error}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
