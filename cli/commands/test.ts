import type { Command } from 'commander';
import type { ModelTestReport, TestOutcome } from '../../app/index.js';
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
    .option('-v, --verbose', 'also print every passing test and every model left untested')
    .addHelpText(
      'after',
      `
Prints failures and errors first (stderr), then warnings and the counts; --verbose also lists
every PASS and why untested models were skipped. Nothing is ingested or rebuilt. The results are a run (gmp runs) and the checks' latest state
(gmp status). Exit 1 when an error-severity test fails or cannot run; warnings never fail.`,
    )
    .action(async (opts: { select?: string; partition?: string; json?: boolean; verbose?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { runModelTests } = await import('../../app/index.js');
      const report = await runModelTests(ws, opts, { signal: interruptSignal() });
      if (opts.json) printJson(report);
      else {
        const { failures, summary } = formatTestReport(report, opts.verbose ?? false);
        if (failures) process.stderr.write(`${failures}\n`);
        process.stdout.write(`${summary}\n`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}

/** Failures and errors (for stderr), then warnings, with --verbose every PASS and SKIP, and the counts. */
export function formatTestReport(report: ModelTestReport, verbose: boolean): { failures: string; summary: string } {
  const line = (o: ModelTestReport['outcomes'][number]): string[] => {
    const where = `${o.asset}${o.partition ? `[${o.partition}]` : ''}`;
    const detail = o.status === 'error' ? `: ${o.message ?? 'could not run'}` : o.failing ? `: ${o.failing} failing row(s)` : '';
    return [`${LABEL[o.status].padEnd(5)} ${where} ${o.test} (${o.description})${detail}`, ...o.samples.map((s) => `        ${JSON.stringify(s)}`)];
  };
  const bad = report.outcomes.filter((o) => o.status === 'failed' || o.status === 'error');
  const shown = report.outcomes.filter((o) => o.status === 'warned' || (verbose && (o.status === 'passed' || o.status === 'skipped')));
  const lines = shown.flatMap(line);
  if (verbose) for (const s of report.skipped) lines.push(`SKIP  ${s.asset}: ${s.reason}`);
  const c = report.counts;
  const run = report.runId === null ? 'nothing to test' : `run ${report.runId}`;
  const untested = !verbose && report.skipped.length > 0 ? `; ${report.skipped.length} model(s) untested (--verbose says why)` : '';
  lines.push(`${report.outcomes.length} test(s): ${c.passed} passed, ${c.warned} warned, ${c.failed} failed, ${c.error} errored, ${c.skipped} skipped — ${run}, ${formatDuration(report.durationMs)}${untested}`);
  return { failures: bad.flatMap(line).join('\n'), summary: lines.join('\n') };
}
