import type { Command } from 'commander';
import type { LakeFileCheck, LakeRepairReport } from '../../app/index.js';
import { formatCount, formatDuration, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { createWarehouseWaitDisplay } from '../warehouse-wait.js';
import { interruptSignal, workspaceFor } from './context.js';

/** `gmp lake verify` and `gmp lake repair`: the lake's files against their manifests' checksums. */
export function registerLake(program: Command): void {
  const lake = program.command('lake').description("check the lake's committed files against their manifests (verify), and repair a damaged partition (repair)");

  lake
    .command('verify')
    .description("check every committed lake file (size and SHA-256 its manifest records), and a remote lake's cached copies; exit 1 when one is damaged")
    .option('--asset <dataset>', 'only this lake dataset, e.g. rawg/games or events/events')
    .option('--partition <key>', 'only this partition: a day YYYY-MM-DD (an hourly dataset: all its hours), an hour YYYY-MM-DDTHH, today or yesterday')
    .option('--json', 'print every check as JSON')
    .addHelpText(
      'after',
      `
Reads and hashes every file the committed manifests of GMP_LAKE_URL name (data and invalid-record
files), so it costs one read of what it checks. A file is damaged when it is missing, has another
size, or another SHA-256 than its manifest records (manifests written before gmp recorded checksums
are checked by size only); an unreadable manifest is damaged too. With an S3 lake the local copies
the warehouse reads (GMP_HOME/cache/lake) are checked as well. Prints one line per damaged file,
with the command that repairs its partition, then a summary; exits 1 when any file is damaged.

Runs verify each file before they read it anyway (once: a file whose size and mtime have not
changed since is trusted); this command checks everything, e.g. after a disk or backup incident.

Examples:
  gmp lake verify
  gmp lake verify --asset rawg/games --partition 2025-06-29
  gmp lake verify --json`,
    )
    .action(async (opts: { asset?: string; partition?: string; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { verifyLakeFiles } = await import('../../app/index.js');
      const report = await verifyLakeFiles(ws, {
        ...(opts.asset !== undefined ? { asset: opts.asset } : {}),
        ...(opts.partition !== undefined ? { partition: opts.partition } : {}),
        signal: interruptSignal(),
      });
      process.exitCode = report.damaged.length === 0 ? 0 : 1;
      if (opts.json) return printJson(report);
      for (const check of report.damaged) process.stdout.write(`${formatDamaged(check)}\n`);
      const scope = [report.asset, report.partition].filter((s) => s !== undefined).join(' ');
      process.stdout.write(
        `${formatCount(report.checked)} files checked in ${report.lake}${scope ? ` (${scope})` : ''}: ` +
          `${report.damaged.length === 0 ? 'all intact' : `${formatCount(report.damaged.length)} damaged`}\n`,
      );
    });

  lake
    .command('repair')
    .description('repair one partition of a lake dataset: fetch it again (a new run, committed like any other) or download a damaged cached copy again; then verify it')
    .argument('<dataset>', 'the lake dataset, e.g. rawg/games (as gmp lake verify names it)')
    .requiredOption('--partition <key>', 'the partition: a day YYYY-MM-DD or an hour YYYY-MM-DDTHH (today, yesterday too)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
What it does, by what is damaged (see gmp lake verify):
  a cached copy (S3 lake)   downloads it again from the lake, verified;
  a lake file or manifest   runs the dataset's ingestion asset for the partition (like
                            gmp materialize --select <dataset> --partition <key>): a new run
                            folder, then the manifest is swapped, so readers see the old commit or
                            the new one. It calls the API (RAWG_API_KEY) and spends its budget.
Data gmp does not fetch (collected events, predictions) or an older snapshot cannot be fetched
again: it says so; restore the file from a backup (on S3, an earlier version of the object).
Then checks the partition again. Exits 0 when nothing in it is damaged any more, 1 otherwise.

Examples:
  gmp lake repair rawg/games --partition 2025-06-29
  gmp lake repair rawg/game_details --partition yesterday --json`,
    )
    .action(async (dataset: string, opts: { partition: string; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { repairLakePartition } = await import('../../app/index.js');
      const progress = createProgress();
      const report = await repairLakePartition(ws, {
        asset: dataset,
        partition: opts.partition,
        signal: interruptSignal(),
        onProgress: progress.onProgress,
        onWarehouseWait: createWarehouseWaitDisplay(),
      }).finally(progress.done);
      process.exitCode = report.remaining.length === 0 && (report.run === undefined || report.run.status === 'succeeded') ? 0 : 1;
      if (opts.json) return printJson(report);
      process.stdout.write(formatRepair(report));
    });
}

function formatDamaged(check: LakeFileCheck): string {
  const what = check.copy === 'cache' ? 'cached copy of ' : check.copy === 'manifest' ? 'manifest ' : '';
  return `DAMAGED ${what}${check.key} (${check.location}): ${check.problem}${check.repair ? `; repair: ${check.repair}` : ''}`;
}

function formatRepair(report: LakeRepairReport): string {
  const where = `${report.asset} ${report.partition}`;
  if (report.found.length === 0) return `${where}: nothing damaged in ${report.lake}\n`;
  const lines = report.found.map(formatDamaged);
  if (report.recached.length > 0) lines.push(`downloaded again: ${formatCount(report.recached.length)} cached copies`);
  if (report.run) {
    lines.push(`fetched again by run ${report.run.runId}: ${report.run.status} in ${formatDuration(report.run.durationMs)}${report.run.error ? `: ${report.run.error}` : ''}`);
  }
  if (report.unrepairable) lines.push(`not repaired: ${report.unrepairable}`);
  for (const check of report.remaining) lines.push(`still ${formatDamaged(check)}`);
  lines.push(report.remaining.length === 0 ? `${where}: repaired, every file intact` : `${where}: ${formatCount(report.remaining.length)} still damaged`);
  return `${lines.join('\n')}\n`;
}
