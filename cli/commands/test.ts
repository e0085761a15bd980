import type { Command } from 'commander';
import type { ModelTestReport, TestOutcome } from '../../orchestration/index.js';
import { formatDuration, printJson } from '../output.js';
import { interruptSignal, workspaceFor } from './context.js';

const LABEL: Record<TestOutcome['status'], string> = { passed: 'PASS', warned: 'WARN', failed: 'FAIL', error: 'ERROR', skipped: 'SKIP' };

/** `gmp test`: the models' tests against what is already materialized, recorded as a run. */
export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the tests of the selected models (yml and models/tests/*.sql) against what is already materialized')
    .option('-s, --select <selection>', 'models to test, in asset selection syntax (marts/dim_games, marts/*, +marts/dim_games); default every model')
    .option('-p, --partition <day>', 'test this partition of partitioned models (default: every partition recorded as materialized)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      `
Nothing is ingested or rebuilt. The results are a run (gmp runs) and the checks' latest state
(gmp status). Exit 1 when an error-severity test fails or cannot run; warnings never fail.`,
    )
    .action(async (opts: { select?: string; partition?: string; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { runModelTests } = await import('../../orchestration/index.js');
      const report = await runModelTests(ws, opts, { signal: interruptSignal() });
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatTestReport(report)}\n`);
      process.exitCode = report.ok ? 0 : 1;
    });
}

function formatTestReport(report: ModelTestReport): string {
  const lines: string[] = [];
  for (const o of report.outcomes) {
    const where = `${o.asset}${o.partition ? `[${o.partition}]` : ''}`;
    const detail = o.status === 'error' ? `: ${o.message ?? 'could not run'}` : o.failing ? `: ${o.failing} failing row(s)` : '';
    lines.push(`${LABEL[o.status].padEnd(5)} ${where} ${o.test} (${o.description})${detail}`);
    for (const s of o.samples) lines.push(`        ${JSON.stringify(s)}`);
  }
  for (const s of report.skipped) lines.push(`SKIP  ${s.asset}: ${s.reason}`);
  const c = report.counts;
  const run = report.runId === null ? 'nothing to test' : `run ${report.runId}`;
  lines.push(`${report.outcomes.length} test(s): ${c.passed} passed, ${c.warned} warned, ${c.failed} failed, ${c.error} errored, ${c.skipped} skipped — ${run}, ${formatDuration(report.durationMs)}`);
  return lines.join('\n');
}
