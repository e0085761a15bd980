import type { Command } from 'commander';
import type { DemoResult } from '../../app/index.js';
import { formatCount, formatTable, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { createWarehouseWaitDisplay } from '../warehouse-wait.js';
import { formatPlan, formatRunReport } from '../run-report.js';
import { interruptSignal } from './context.js';

/**
 * What a demo costs, from its plan (tests/e2e/demo-output.test.ts checks these figures against the
 * endpoint specs and DEMO_DAYS).
 */
export const DEMO_COST_HELP = `
Cost. Without RAWG_API_KEY the demo starts the built-in RAWG sandbox on a free loopback port: the
data is SYNTHETIC, and its requests are charged to the sandbox's own ledger, never to a RAWG quota
(\`gmp budget\` shows each endpoint's ledger). With a key it calls RAWG_BASE_URL and its plan spends:
  - 8 taxonomy snapshots: 5 small lists of 1-2 requests each, and tags, developers and publishers
    capped at RAWG_SNAPSHOT_MAX_PAGES requests each (default 10): about 37 requests;
  - 7 days of rawg/games: 1 request per 40 games changed that day (at least 1 a day);
  - rawg/game_details: 1 request per game changed in those days whose detail is not committed yet.
Details are most of it: where hundreds of games change a day, a first demo costs thousands of
requests (the sandbox's week: about 1,600); a re-run costs about 60. \`gmp demo --dry-run\` prints
the plan and its estimate for your endpoint first (it spends a few count-probe requests).

Players. The demo also writes a week of 500 simulated players (SYNTHETIC, seed 7: store visits and
play sessions, see gmp simulate --help) into the lake's hourly event partitions; a later demo keeps
that week rather than add a second one.

Everything lands in GMP_HOME (default ./.gmp); running it again replaces the same partitions.`;

const SYNTHETIC_BANNER = [
  '⚠  SYNTHETIC DATA: no RAWG_API_KEY is set, so this demo ran against the built-in RAWG sandbox.',
  '   Nothing below describes real games. Set RAWG_API_KEY to use the real API.',
];

/** Lines of mart row counts, `name rows · name rows · …`, wrapped at `width`. */
function martRows(tables: DemoResult['tables'], width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const t of tables) {
    const item = `${t.relation.replace(/^marts\./, '')} ${formatCount(t.rows)}`;
    if (line && line.length + item.length + 3 > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} · ${item}` : item;
  }
  if (line) lines.push(line);
  return lines.map((l) => `  ${l}`);
}

/** The prediction models: metric against baselines, or why they were not trained. */
function modelLines(models: DemoResult['models'], synthetic: boolean): string[] {
  if (!models.trained) return [`Models: not trained: ${models.reason}`, '  (everything else ran; serving needs no native code)'];
  if (models.models.length === 0) return [];
  const lines = [`Models${synthetic ? ' (SYNTHETIC, like the data: the sandbox\'s ratings follow a generative model)' : ''}, more with gmp ml runs:`];
  for (const m of models.models) {
    if (m.status !== 'FINISHED') {
      lines.push(`  ${m.model}: ${m.status.toLowerCase()}: ${m.error ?? 'see gmp ml runs'}`);
      continue;
    }
    const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));
    lines.push(`  ${m.model} v${m.version ?? '?'}: holdout ${m.metric} ${f(m.value)} (mean baseline ${f(m.meanBaseline)}, linear ${f(m.linear)})`);
  }
  return lines;
}

/** The simulated players, said to be synthetic whatever the games' source. */
function playersLine(p: NonNullable<DemoResult['players']>): string {
  const days = `${p.from.slice(0, 10)}..${new Date(Date.parse(p.to) - 1).toISOString().slice(0, 10)}`;
  return p.written
    ? `Players: SYNTHETIC. ${formatCount(p.players)} simulated players over ${days}: ${formatCount(p.events)} events in the lake's raw/events/events (gmp simulate --help).`
    : `Players: the SYNTHETIC simulated week of an earlier demo is kept (${p.simulation}); gmp simulate --lake adds more.`;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the main job on the embedded default: snapshots, the last 7 days of rawg/games, every model')
    .option('--dry-run', 'print the plan and its request estimate, execute nothing')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'print every asset and check of the run instead of the summary')
    .addHelpText('after', DEMO_COST_HELP)
    .action(async (opts: { json?: boolean; dryRun?: boolean; verbose?: boolean }, command: Command) => {
      const { runDemo, planDemo } = await import('../../app/index.js');
      const globals = command.optsWithGlobals<{ logJson?: boolean }>();
      const logTo = globals.logJson ? 'stderr' : 'file';
      if (opts.dryRun) {
        const planned = await planDemo({ logTo });
        if (opts.json) return printJson(planned);
        const lines = planned.synthetic
          ? ['⚠  SYNTHETIC DATA: no RAWG_API_KEY is set: the demo would run against the built-in RAWG sandbox.']
          : [`The demo would call ${planned.apiBase}.`];
        lines.push(`Partitions ${planned.partitions.from}..${planned.partitions.to} of rawg/games, plus taxonomy snapshots and all models.`, '', formatPlan(planned.plan, false));
        return void process.stdout.write(`${lines.join('\n')}\n`);
      }
      const progress = createProgress();
      const result = await runDemo({ signal: interruptSignal(), onProgress: progress.onProgress, onWarehouseWait: createWarehouseWaitDisplay(), logTo }).finally(progress.done);
      process.exitCode = result.run.status === 'succeeded' ? 0 : 1;
      if (opts.json) return printJson(result);
      const report = formatRunReport(result.run, { verbose: opts.verbose, foldModels: true });
      // Synthetic data is said first, whatever happened; then failures, on stderr.
      const out = result.synthetic ? [...SYNTHETIC_BANNER] : [`Data from ${result.apiBase}.`];
      if (report.failures) {
        if (result.synthetic) process.stdout.write(`${out.join('\n')}\n`);
        process.stderr.write(`${report.failures}\n`);
        out.length = 0;
      }
      // Nothing fetched (a wrong key, an unreachable API): the failures are the whole story.
      const fetched = result.run.digest.assets.some((a) => a.kind === 'ingestion' && a.succeeded > 0);
      if (!report.summary || (result.run.status === 'failed' && !fetched)) return;
      out.push('', `Partitions ${result.partitions.from}..${result.partitions.to} of rawg/games, plus taxonomy snapshots and all models.`);
      out.push('', report.summary);
      if (result.tables.length > 0) out.push('', 'Mart rows:', ...martRows(result.tables));
      if (result.sample.length > 0) out.push('', 'Most-rated games (marts.dim_games):', formatTable(result.sample));
      if (result.players) out.push('', playersLine(result.players));
      out.push('', ...modelLines(result.models, result.synthetic));
      out.push(
        '',
        `Warehouse: ${result.warehousePath}`,
        'Next: gmp query "select * from marts.fct_game_daily_snapshot order by dt desc limit 10"',
        '      gmp serve   (then open http://127.0.0.1:3000: runs, their steps and events, live)',
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
