import type { Command } from 'commander';
import { VARS_HELP, positiveInt, varsJson } from '../parse-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { createWarehouseWaitDisplay } from '../warehouse-wait.js';
import { formatPlan, printRunReport } from '../run-report.js';
import { interruptSignal, workspaceFor } from './context.js';

export function registerMaterialize(program: Command): void {
  program
    .command('materialize')
    .description('materialize selected assets for one partition (a day or an hour) or a range of them')
    .requiredOption('-s, --select <selection>', 'assets: key, key+ / +key (all downstream / upstream), key+1 / 2+key (levels), group:NAME, tag:NAME, kind:KIND, marts/*; comma or space separated')
    .option('-x, --exclude <selection>', 'assets to leave out (same syntax as --select)')
    .option('-p, --partition <key>', 'one UTC day: YYYY-MM-DD, today or yesterday (all 24 hours of an hourly asset); or one UTC hour: YYYY-MM-DDTHH')
    .option('--from <key>', 'first day or hour of a range (with --to); YYYY-MM-DD, YYYY-MM-DDTHH, today or yesterday')
    .option('--to <key>', 'last day or hour of a range, inclusive')
    .option('-c, --concurrency <n>', 'steps run at once', positiveInt, 4)
    .option('--max-per-asset <n>', 'steps of one asset run at once (default: no cap)', positiveInt)
    .option('--vars <json>', VARS_HELP, varsJson)
    .option('--dry-run', 'print the plan (steps, partitions, what is already materialized) and exit; writes nothing')
    .option('--json', 'print the run (or the plan) as JSON')
    .option('-v, --verbose', 'print every asset and check with its steps, rows, pages, requests and time')
    .addHelpText(
      'after',
      `
Examples:
  gmp materialize --select rawg/games+ --partition 2024-05-01      # one day, everything downstream
  gmp materialize --select rawg/games+ --partition yesterday       # what a daily scheduler runs
  gmp materialize --select 'group:rawg' --from 2024-05-01 --to 2024-05-07
  gmp materialize --select marts/mart_events_hourly --partition 2026-12-01T05  # one UTC hour of an hourly asset
  gmp materialize --select marts/dim_games                          # rebuild one mart from the lake

Output: failures first on stderr, each cause once with its hint; then per asset its partitions,
rows, API requests and wall-clock span, the checks as one line per outcome (every check that did
not pass named), and the run's warnings. --verbose prints every asset and check instead.`,
    )
    .action(async (opts: { select: string; exclude?: string; partition?: string; from?: string; to?: string; concurrency: number; maxPerAsset?: number; json?: boolean; dryRun?: boolean; verbose?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      if (opts.dryRun) {
        const { planMaterialize } = await import('../../app/index.js');
        const plan = await planMaterialize(ws, opts, { forMaterialize: true });
        if (opts.json) return printJson(plan);
        process.stdout.write(`${formatPlan(plan, false)}\n`);
        return;
      }
      const { materialize } = await import('../../app/index.js');
      const progress = createProgress();
      const onWarehouseWait = createWarehouseWaitDisplay();
      const run = await materialize(ws, { ...opts }, { signal: interruptSignal(), onProgress: progress.onProgress, onWarehouseWait }).finally(progress.done);
      if (opts.json) printJson(run);
      else printRunReport(run, { verbose: opts.verbose });
      process.exitCode = run.status === 'succeeded' ? 0 : 1;
    });
}
