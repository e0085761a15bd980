import type { Command } from 'commander';
import type { BackfillOutcome } from '../../app/index.js';
import { formatTable, printJson } from '../output.js';
import { VARS_HELP, positiveInt, varsJson } from '../parse-options.js';
import { createProgress } from '../progress.js';
import { createWarehouseWaitDisplay } from '../warehouse-wait.js';
import { formatPlan, formatRunReport } from '../run-report.js';
import { interruptSignal, workspaceFor } from './context.js';

export function registerBackfill(program: Command): void {
  const backfill = program
    .command('backfill')
    .enablePositionalOptions()
    .description('materialize a range of daily (or hourly) partitions as a persisted, resumable backfill')
    .option('-s, --select <selection>', 'assets (same syntax as materialize), e.g. rawg/games+')
    .option('-x, --exclude <selection>', 'assets to leave out')
    .option('--from <key>', 'first day: YYYY-MM-DD, today or yesterday; or first UTC hour: YYYY-MM-DDTHH')
    .option('--to <key>', 'last day or hour, inclusive (a day covers all 24 hours of an hourly asset)')
    .option('-c, --concurrency <n>', 'steps run at once', positiveInt, 4)
    .option('--max-per-asset <n>', 'steps of one asset run at once (default: no cap)', positiveInt)
    .option('--force', 'also redo partitions that are already materialized')
    .option('--vars <json>', `${VARS_HELP} (kept with the backfill: resume uses them)`, varsJson)
    .option('--dry-run', 'print the plan and exit; writes nothing')
    .option('--json', 'print the outcome (or the plan) as JSON')
    .option('-v, --verbose', 'print every asset and check of the run with its steps, rows, pages, requests and time')
    .addHelpText(
      'after',
      `
Every (asset, partition) of a backfill is recorded (pending, running, succeeded, failed, skipped,
canceled). Partitions already materialized are skipped unless --force. If the process dies, the
backfill shows as interrupted in \`gmp backfill list\` and \`status\`; run \`gmp backfill resume ID\`:
only failed, canceled and unfinished partitions run again.

Before it starts, a backfill estimates its API requests (the lake's recorded items of the same
days, else a count probe per month of the range) and refuses to start if the estimate exceeds what
remains of the request budget; --dry-run prints the estimate with its likely range and basis.

Examples:
  gmp backfill --select rawg/games+ --from 2024-01-01 --to 2024-12-31 --dry-run
  gmp backfill --select rawg/games+ --from 2024-01-01 --to 2024-12-31
  gmp backfill list
  gmp backfill status bf-20241101T030000Z-3f9a1c
  gmp backfill resume bf-20241101T030000Z-3f9a1c`,
    )
    .action(async (opts: { select?: string; exclude?: string; from?: string; to?: string; concurrency: number; maxPerAsset?: number; force?: boolean; dryRun?: boolean; json?: boolean; verbose?: boolean }, command: Command) => {
      if (!opts.select || !opts.from || !opts.to) {
        command.error('error: a backfill needs --select, --from and --to (or a subcommand: list, status, resume, cancel)', { exitCode: 2 });
      }
      const ws = await workspaceFor(command);
      const orchestration = await import('../../app/index.js');
      const request = { select: opts.select!, exclude: opts.exclude, from: opts.from!, to: opts.to!, concurrency: opts.concurrency, maxPerAsset: opts.maxPerAsset, force: opts.force };
      if (opts.dryRun) {
        const plan = await orchestration.planMaterialize(ws, request, { force: opts.force });
        if (opts.json) return printJson(plan);
        process.stdout.write(`${formatPlan(plan, true)}\n`);
        return;
      }
      const progress = createProgress();
      const outcome = await orchestration
        .startBackfill(ws, request, {
          signal: interruptSignal(),
          onProgress: progress.onProgress,
          onWarehouseWait: createWarehouseWaitDisplay(),
          onCreated: (b) => process.stderr.write(`backfill ${b.backfillId} started (resume it with \`gmp backfill resume ${b.backfillId}\`)\n`),
        })
        .finally(progress.done);
      report(outcome, opts);
    });

  backfill
    .command('list')
    .description('recent backfills with their progress')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listBackfills } = await import('../../app/index.js');
      const list = await listBackfills(ws);
      if (opts.json) return printJson(list);
      if (list.length === 0) return void process.stdout.write('no backfills yet\n');
      const interrupted = list.filter((b) => b.status === 'interrupted');
      process.stdout.write(
        `${formatTable(
          list.map(({ backfill: b, status, counts: c }) => ({
            backfill: b.backfillId,
            status,
            selection: b.selection,
            range: `${b.fromKey}..${b.toKey}`,
            succeeded: c.succeeded,
            skipped: c.skipped,
            failed: c.failed,
            open: c.pending + c.running + c.canceled,
          })),
        )}\n${interrupted.map((b) => `${b.backfill.backfillId} was interrupted (its process is gone): ${b.resume}\n`).join('')}`,
      );
    });

  backfill
    .command('status')
    .description('one backfill: partitions per status, per asset, and every failure')
    .argument('<id>', 'a backfill id from `gmp backfill list`')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { backfillStatus } = await import('../../app/index.js');
      const s = await backfillStatus(ws, id);
      if (opts.json) return printJson(s);
      const b = s.backfill;
      const lines = [
        `backfill ${b.backfillId} ${s.status}: ${b.selection} ${b.fromKey}..${b.toKey} (created ${b.createdAt}, updated ${b.updatedAt})`,
        ...(s.status === 'interrupted' ? ['the process running it is gone (killed, crashed or its machine lost); nothing is running it now'] : []),
        formatTable(s.assets.map((a) => ({ asset: a.asset, ...a.counts }))),
        ...s.failures.slice(0, 20).map((f) => `  ✗ ${f.asset}${f.partition ? `[${f.partition}]` : ''}: ${f.error ?? ''}`),
      ];
      if (s.failures.length > 20) lines.push(`  … ${s.failures.length - 20} more (--json lists all)`);
      if (s.resume) lines.push(`resume with: ${s.resume}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  backfill
    .command('resume')
    .description('run the failed, canceled and unfinished partitions of a backfill again')
    .argument('<id>', 'a backfill id')
    .option('--json', 'print the outcome as JSON')
    .option('-v, --verbose', 'print every asset and check of the run')
    .action(async (id: string, opts: { json?: boolean; verbose?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { resumeBackfill } = await import('../../app/index.js');
      const progress = createProgress();
      const outcome = await resumeBackfill(ws, id, { signal: interruptSignal(), onProgress: progress.onProgress, onWarehouseWait: createWarehouseWaitDisplay() }).finally(progress.done);
      report(outcome, opts);
    });

  backfill
    .command('cancel')
    .description('stop a backfill: a process running it cancels its steps within seconds')
    .argument('<id>', 'a backfill id')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { cancelBackfill } = await import('../../app/index.js');
      const b = await cancelBackfill(ws, id);
      process.stdout.write(`backfill ${b.backfillId} ${b.status}\n`);
    });
}

function report(outcome: BackfillOutcome, opts: { json?: boolean; verbose?: boolean }): void {
  const finishedElsewhere = outcome.backfill.status === 'running' && (outcome.run?.status ?? 'succeeded') === 'succeeded';
  process.exitCode = outcome.backfill.status === 'succeeded' || finishedElsewhere ? 0 : 1;
  if (opts.json) return printJson(outcome);
  const c = outcome.counts;
  const run = outcome.run ? formatRunReport(outcome.run, { verbose: opts.verbose }) : { failures: '', summary: '' };
  if (run.failures) process.stderr.write(`${run.failures}\n`);
  const lines = [
    `backfill ${outcome.backfill.backfillId} ${outcome.backfill.status}: ${c.succeeded} succeeded, ${c.skipped} up to date, ${c.failed} failed, ${c.pending + c.running + c.canceled} not done`,
  ];
  if (run.summary) lines.push(run.summary);
  if (finishedElsewhere) lines.push(`${c.running} partition(s) are being materialized by another process`);
  else if (outcome.backfill.status !== 'succeeded') lines.push(`resume with: gmp backfill resume ${outcome.backfill.backfillId}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
