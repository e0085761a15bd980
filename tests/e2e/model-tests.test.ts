import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-model-tests-key-2718';
const DAY = '2025-06-20';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' };
});

afterAll(async () => {
  await sandbox.close();
});

interface Report {
  runId: string | null;
  ok: boolean;
  outcomes: { key: string; asset: string; test: string; severity: string; partition: string | null; status: string; failing: number | null }[];
  skipped: { asset: string; reason: string }[];
  counts: Record<string, number>;
}

describe('gmp test', () => {
  it('tests what a day of rawg/games+ materialized, without ingesting or rebuilding, and records it as a run', async () => {
    const cwd = tempDir('gmp-e2e-test-');
    const built = await runGmpAsync(['materialize', '--select', 'rawg/games+', '--partition', DAY], { cwd, env });
    expect(built.status, built.stderr + built.stdout).toBe(0);

    // By default: failures, warnings and the counts; no line per passing test.
    const text = await runGmpAsync(['test'], { cwd, env });
    expect(text.status, text.stderr + text.stdout).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).not.toMatch(/^PASS/m);
    expect(text.stdout).toMatch(/\d+ test\(s\): \d+ passed, \d+ warned, 0 failed, 0 errored.*; \d+ model\(s\) untested \(--verbose says why\)$/m);

    const verbose = await runGmpAsync(['test', '--verbose'], { cwd, env });
    expect(verbose.stdout).toMatch(/^PASS +marts\/dim_games unique_game_id \(game_id is unique\)$/m);
    expect(verbose.stdout).toMatch(new RegExp(`^PASS  marts/fct_game_daily_snapshot\\[${DAY}\\] one_row_per_game_per_day `, 'm'));
    // The genre and platform snapshots were not ingested, so their staging models were never built.
    expect(verbose.stdout).toMatch(/^SKIP +staging\/stg_rawg__genres: not materialized yet$/m);

    const json = await runGmpAsync(['test', '--select', 'marts/*', '--json'], { cwd, env });
    expect(json.status, json.stderr + json.stdout).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.ok).toBe(true);
    const tests = report.outcomes.map((o) => `${o.key}${o.partition ? `[${o.partition}]` : ''}`);
    expect(tests).toEqual(
      expect.arrayContaining([
        'checks/marts/dim_games/unique_game_id',
        'checks/marts/dim_games/accepted_values_esrb_rating',
        'checks/marts/bridge_game_genres/relationships_genre_id',
        `checks/marts/fct_game_daily_snapshot/one_row_per_game_per_day[${DAY}]`,
        `checks/marts/fct_game_daily_snapshot/accepted_range_rating[${DAY}]`,
      ]),
    );
    expect(report.outcomes.every((o) => o.asset.startsWith('marts/') && (o.status === 'passed' || o.status === 'warned'))).toBe(true);
    expect(report.outcomes.find((o) => o.test === 'accepted_range_rating')!.severity).toBe('warn');

    // The test runs are ordinary runs: listed by `gmp runs`, with no ingestion or model steps.
    const runs = await runGmpAsync(['runs', '--json'], { cwd, env });
    const listed = JSON.parse(runs.stdout) as { runId: string; kind: string; steps: { asset: string }[] }[];
    const testRun = listed.find((r) => r.runId === report.runId)!;
    expect(testRun.kind).toBe('test');
    expect(testRun.steps.length).toBe(report.outcomes.length);
    expect(testRun.steps.every((s) => s.asset.startsWith('checks/'))).toBe(true);

    const unknown = await runGmpAsync(['test', '--select', 'marts/nope'], { cwd, env });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no asset matches "marts\/nope"/);
  }, 120_000);
});
