import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { positiveInt } from '../parse-options.js';
import { workspaceFor } from './context.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("freshness of every asset (partition D is due by D+1 06:00 UTC, hour H by H+2h), source freshness from sources.yml, the latest results of its checks, and the readers' snapshot (DuckDB)")
    .option('-w, --window <days>', 'how many recent days to inspect for late partitions', positiveInt, 7)
    .option('--json', 'print as JSON')
    .action(async (opts: { window: number; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { pipelineStatus, readersPublication } = await import('../../app/index.js');
      const report = await pipelineStatus(ws, { windowDays: opts.window });
      if (opts.json) return printJson(report);
      process.stdout.write(
        `${formatTable(
          report.map((a) => ({
            asset: a.asset,
            status: a.status,
            due: a.due ?? '-',
            latest: a.latest === null ? '-' : a.latest.includes('T') ? `${a.latest.slice(0, 16).replace('T', ' ')} UTC` : a.latest,
            late: a.late.length === 0 ? '' : a.late.length <= 3 ? a.late.join(' ') : `${a.late.length} ${a.late[0]!.includes('T') ? 'hours' : 'days'} (${a.late[a.late.length - 1]}..${a.late[0]})`,
            source: a.sourceFreshness === undefined ? '' : describeFreshness(a.sourceFreshness),
            checks: summarizeChecks(a.checks),
          })),
        )}\n`,
      );
      const failing = report.flatMap((a) => a.checks.filter((c) => c.status !== 'passed').map((c) => ({ ...c, asset: a.asset })));
      for (const c of failing.slice(0, 20)) {
        process.stdout.write(`  ${c.status === 'warned' ? '!' : '✗'} ${c.asset} ${c.check}${c.partition ? `[${c.partition}]` : ''}: ${c.failing ?? '?'} failing row(s)\n`);
      }
      // What BI tools and `gmp query` read while a run holds the DuckDB warehouse.
      const published = await readersPublication(ws);
      if (published) {
        const mb = (published.bytes / 1e6).toFixed(1);
        const by = published.runId ? ` by run ${published.runId}` : '';
        process.stdout.write(`readers' snapshot: ${published.relations.length} relations (${mb} MB) published${by} at ${published.publishedAt.slice(0, 16).replace('T', ' ')} UTC — ${published.path}\n`);
      }
    });
}

/** `pass (12h)`, `warn (9d > 8d)`, `error (never loaded)`. */
function describeFreshness(f: { status: string; ageHours: number | null; warnAfterHours?: number; errorAfterHours?: number }): string {
  const span = (h: number) => (h >= 48 ? `${Math.round(h / 24)}d` : `${Math.round(h)}h`);
  if (f.ageHours === null) return `${f.status} (never loaded)`;
  const limit = f.status === 'error' ? f.errorAfterHours : f.status === 'warn' ? f.warnAfterHours : undefined;
  return `${f.status} (${span(f.ageHours)}${limit === undefined ? '' : ` > ${span(limit)}`})`;
}

function summarizeChecks(checks: { status: string }[]): string {
  if (checks.length === 0) return '';
  const counts = new Map<string, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}
