import { describe, expect, it } from 'vitest';
import { AssetError, HttpError, type AssetKind } from '../core/index.js';
import { summarizeRun, type RunSummary, type StepResult } from '../app/index.js';
import { formatRunReport } from './run-report.js';

const kinds: Record<string, AssetKind> = { 'rawg/games': 'ingestion', 'staging/stg_rawg__games': 'view', 'marts/dim_games': 'table' };
const kindOf = (asset: string): AssetKind => kinds[asset] ?? 'check';
const at = (s: number) => new Date(Date.UTC(2024, 4, 1, 3, 0, s)).toISOString();

function step(asset: string, partition: string | null, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult {
  return { step: { id: partition ? `${asset}[${partition}]` : asset, asset, partition, needs: [], materialized: false }, status, durationMs: 5, startedAt: at(0), endedAt: at(1), ...extra };
}
function run(steps: StepResult[], extra: Partial<RunSummary> = {}): RunSummary {
  return { runId: 'r1', status: 'succeeded', steps, durationMs: 1500, requests: 3, digest: summarizeRun(steps, kindOf), warnings: [], ...extra };
}

const good = [
  step('rawg/games', '2024-05-01', 'succeeded', { result: { rows: 80, requests: 3, pages: 3 } }),
  step('staging/stg_rawg__games', null, 'succeeded', { result: { rows: 0 } }),
  step('marts/dim_games', null, 'succeeded', { result: { rows: 80 } }),
  ...Array.from({ length: 92 }, (_, i) => step(`checks/marts/dim_games/c${i}`, null, 'succeeded', { result: { metadata: { status: 'passed' } } })),
  step('checks/marts/dim_games/w1', null, 'succeeded', { result: { metadata: { status: 'warned', failing: 2 } } }),
  step('checks/marts/dim_games/w2', null, 'succeeded', { result: { metadata: { status: 'warned', failing: 7 } } }),
];

describe('formatRunReport', () => {
  it('prints assets (views without rows), and the checks folded into one line with every warned one named', () => {
    const { failures, summary } = formatRunReport(run(good, { warnings: [{ message: 'snapshot stopped at the page cap', count: 3, where: ['rawg/tags', 'rawg/developers', 'rawg/publishers'] }] }));
    expect(failures).toBe('');
    const lines = summary.split('\n');
    expect(lines[0]).toBe('run r1 succeeded in 1.5 s: 97 steps, 3 API requests');
    expect(summary).toMatch(/^staging\/stg_rawg__games +- +ok +- +- /m);
    expect(summary).toMatch(/^rawg\/games +2024-05-01 +ok +80 +3 +03:00:00 +1\.0 s$/m);
    expect(summary).toContain('94 checks: 92 passed, 2 warned');
    expect(summary).toMatch(/warned +checks\/marts\/dim_games\/w1: 2 row\(s\) violate it/);
    expect(summary).toMatch(/warned +checks\/marts\/dim_games\/w2: 7 row\(s\) violate it/);
    expect(summary).toContain('⚠ snapshot stopped at the page cap ×3 (rawg/tags, rawg/developers, rawg/publishers)');
    expect(summary).not.toMatch(/c17/);
    expect(lines.length).toBeLessThan(15);
  });

  it('folds a check that warned on many partitions into one line', () => {
    const days = ['2024-01-06', '2024-02-11', '2024-03-01', '2024-03-09', '2024-04-02', '2024-05-05'];
    const warned = days.map((d) => step('checks/rawg/games/not_empty', d, 'succeeded', { result: { metadata: { status: 'warned', failing: 1 } } }));
    const { summary } = formatRunReport(run([...good.slice(0, 3), ...warned]));
    expect(summary).toContain('6 checks: 6 warned');
    expect(summary.split('\n').filter((l) => l.includes('not_empty'))).toEqual([
      '  warned  checks/rawg/games/not_empty on 6 partitions (2024-01-06, 2024-02-11, 2024-03-01, 2024-03-09, +2 more): 1 row(s) violate it',
    ]);
  });

  it('with --verbose lists every asset and check', () => {
    const { summary } = formatRunReport(run(good), { verbose: true });
    expect(summary).toMatch(/^checks\/marts\/dim_games\/c17 +1\/1/m);
  });

  it('folds the models of a layer into one line for the demo', () => {
    const { summary } = formatRunReport(run(good), { foldModels: true });
    expect(summary).toMatch(/^marts\/\* \(1 model\) +ok +80 /m);
    expect(summary).not.toMatch(/^marts\/dim_games/m);
  });

  it('puts the failures first, each cause once with its hint, and prints no table when nothing ran', () => {
    const error = (asset: string, partition: string | null) =>
      new AssetError(asset, partition, new HttpError('HTTP_UNAUTHORIZED', `http://h/api/x?p=${partition} answered 401`, { hint: 'check RAWG_API_KEY' }));
    const failed = [
      ...Array.from({ length: 7 }, (_, i) => step('rawg/games', `2024-05-0${i + 1}`, 'failed', { error: error('rawg/games', `2024-05-0${i + 1}`) })),
      step('marts/dim_games', null, 'skipped'),
    ];
    const { failures, summary } = formatRunReport(run(failed, { status: 'failed' }));
    expect(summary).toBe('');
    expect(failures.split('\n')).toEqual([
      '✗ run r1 failed in 1.5 s: 7 of 8 steps failed, 1 not run (upstream failed)',
      '✗ rawg/games[2024-05-01]: http://h/api/x?p=2024-05-01 answered 401',
      '  and 6 more step(s) failed the same way: rawg/games ×6',
      '  hint: check RAWG_API_KEY',
    ]);
  });
});
