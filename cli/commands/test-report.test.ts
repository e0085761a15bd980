import { describe, expect, it } from 'vitest';
import type { ModelTestReport } from '../../app/index.js';
import { formatTestReport } from './test.js';

const outcome = (test: string, status: ModelTestReport['outcomes'][number]['status'], failing: number | null = null) => ({
  key: `checks/marts/dim_games/${test}`, asset: 'marts/dim_games', test, description: test.replace(/_/g, ' '), severity: 'error' as const,
  partition: null, status, failing, samples: failing ? [{ game_id: 7 }] : [],
});
const report: ModelTestReport = {
  runId: 'r1', runStatus: 'failed', durationMs: 120, ok: false,
  outcomes: [outcome('unique_game_id', 'failed', 2), outcome('not_null_name', 'passed'), outcome('accepted_range_rating', 'warned', 3)],
  skipped: [{ asset: 'staging/stg_rawg__genres', reason: 'not materialized yet' }],
  counts: { passed: 1, warned: 1, failed: 1, error: 0, skipped: 0 },
};

describe('gmp test output', () => {
  it('puts failures (with their sample rows) apart for stderr, then warnings and the counts', () => {
    const { failures, summary } = formatTestReport(report, false);
    expect(failures.split('\n')).toEqual(['FAIL  marts/dim_games unique_game_id (unique game id): 2 failing row(s)', '        {"game_id":7}']);
    expect(summary).toMatch(/^WARN {2}marts\/dim_games accepted_range_rating/m);
    expect(summary).not.toMatch(/PASS|SKIP/);
    expect(summary).toMatch(/^3 test\(s\): 1 passed, 1 warned, 1 failed, 0 errored, 0 skipped — run r1, 120 ms; 1 model\(s\) untested/m);
  });

  it('lists every PASS and every untested model with --verbose', () => {
    const { summary } = formatTestReport(report, true);
    expect(summary).toMatch(/^PASS {2}marts\/dim_games not_null_name/m);
    expect(summary).toMatch(/^SKIP {2}staging\/stg_rawg__genres: not materialized yet$/m);
  });
});
