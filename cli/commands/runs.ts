import type { Command } from 'commander';
import { positiveInt } from '../parse-options.js';
import { formatDuration, formatTable, printJson } from '../output.js';
import { formatRunDetail } from '../run-report.js';
import { workspaceFor } from './context.js';

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .enablePositionalOptions()
    .description('list recent runs with their status, partitions, rows and API requests (`gmp runs show ID` for one)')
    .option('-n, --limit <n>', 'how many runs', positiveInt, 20)
    .option('--json', 'print as JSON (each run with its steps)')
    .action(async (opts: { limit: number; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listRuns } = await import('../../app/index.js');
      const runs = await listRuns(ws, { limit: opts.limit });
      if (opts.json) return printJson(runs);
      if (runs.length === 0) {
        process.stdout.write('no runs yet: try `gmp demo`\n');
        return;
      }
      const rows = runs.map((r) => ({
        run: r.runId,
        kind: r.kind,
        status: r.status,
        started: r.startedAt.replace('T', ' ').slice(0, 19),
        took: r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : '',
        partitions: r.partitions,
        steps: `${r.steps.filter((s) => s.status === 'succeeded').length}/${r.steps.length}`,
        rows: r.steps.reduce((n, s) => n + (s.rows ?? 0), 0),
        requests: r.steps.reduce((n, s) => n + (s.requests ?? 0), 0),
      }));
      process.stdout.write(`${formatTable(rows)}\n`);
    });
  runs
    .command('show')
    .description('one run: every step with rows, pages, requests, duration and error, then its events')
    .argument('<run-id>', 'a run id from `gmp runs`')
    .option('--json', 'print the run, its steps and events as JSON')
    .action(async (runId: string, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { showRun } = await import('../../app/index.js');
      const run = await showRun(ws, runId);
      if (opts.json) return printJson(run);
      process.stdout.write(`${formatRunDetail(run)}\n`);
    });
  runs
    .command('cancel')
    .description('ask a running run to cancel, wherever it runs: its process stops within seconds')
    .argument('<run-id>', 'a run id from `gmp runs`')
    .action(async (runId: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { requestCancel } = await import('../../app/index.js');
      const canceled = await requestCancel(ws, runId);
      process.stdout.write(canceled ? `run ${runId}: cancel requested; its process stops at its next lease renewal (within 10 s)\n` : `run ${runId} had already finished\n`);
    });
}
