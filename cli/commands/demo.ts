import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { formatRunReport } from '../run-report.js';
import { interruptSignal } from './context.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the main job on the embedded default: snapshots, the last 7 days of rawg/games, every model')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Without RAWG_API_KEY the demo starts the built-in RAWG sandbox on a free loopback port: the data is
SYNTHETIC. With a key it calls RAWG_BASE_URL (about 100 requests of your quota for a typical week).
Everything lands in GMP_HOME (default ./.gmp); running it again replaces the same partitions.`,
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const { runDemo } = await import('../../orchestration/index.js');
      const progress = createProgress();
      const globals = command.optsWithGlobals<{ logJson?: boolean }>();
      const result = await runDemo({ signal: interruptSignal(), onProgress: progress.onProgress, logTo: globals.logJson ? 'stderr' : 'file' }).finally(progress.done);
      process.exitCode = result.run.status === 'succeeded' ? 0 : 1;
      if (opts.json) return printJson(result);
      const out: string[] = [];
      out.push(
        result.synthetic
          ? '⚠  SYNTHETIC DATA: no RAWG_API_KEY is set, so this demo ran against the built-in RAWG sandbox.\n   Nothing below describes real games. Set RAWG_API_KEY to use the real API.'
          : `Data from ${result.apiBase}.`,
      );
      out.push('', `Partitions ${result.partitions.from}..${result.partitions.to} of rawg/games, plus taxonomy snapshots and all models.`);
      out.push('', formatRunReport(result.run));
      if (result.tables.length > 0) out.push('', 'Marts:', formatTable(result.tables));
      if (result.sample.length > 0) out.push('', 'Most-rated games (marts.dim_games):', formatTable(result.sample));
      out.push(
        '',
        `Warehouse: ${result.warehousePath}`,
        'Next: gmp query "select * from marts.fct_game_daily_snapshot order by dt desc limit 10"',
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
