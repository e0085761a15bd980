import { describe, expect, it } from 'vitest';
import { AssetError, CanceledError, HttpError, ModelError, WarehouseError, type AssetKind } from '../core/index.js';
import type { StepResult } from '../orchestration/index.js';
import { summarizeRun } from './summarize-run.js';

const at = (s: number) => new Date(Date.UTC(2024, 4, 1, 3, 0, s)).toISOString();
const kinds: Record<string, AssetKind> = {
  'rawg/games': 'ingestion',
  'rawg/genres': 'ingestion',
  'staging/stg_rawg__games': 'view',
  'staging/stg_rawg__games_daily': 'partitioned',
  'marts/dim_games': 'table',
};
const kindOf = (asset: string): AssetKind => kinds[asset] ?? 'check';

function result(asset: string, partition: string | null, status: StepResult['status'], extra: Partial<StepResult> & { range?: string[] } = {}): StepResult {
  const { range, ...rest } = extra;
  const id = partition === null ? asset : `${asset}[${partition}]`;
  return { step: { id, asset, partition, needs: [], materialized: false, ...(range ? { range } : {}) }, status, durationMs: 10, ...rest };
}
const unauthorized = (url: string) =>
  new HttpError('HTTP_UNAUTHORIZED', `${url} answered 401: {"error":"Invalid API key"}`, { status: 401, hint: 'check RAWG_API_KEY' });

describe('summarizeRun', () => {
  it('sums each asset over its partitions (range steps count every partition), with its wall-clock span', () => {
    const digest = summarizeRun(
      [
        result('rawg/games', '2024-05-01', 'succeeded', { result: { rows: 40, requests: 1 }, startedAt: at(0), endedAt: at(2) }),
        result('rawg/games', '2024-05-02', 'succeeded', { result: { rows: 90, requests: 3 }, startedAt: at(1), endedAt: at(5) }),
        result('staging/stg_rawg__games_daily', '2024-05-01', 'succeeded', { range: ['2024-05-01', '2024-05-02'], result: { rows: 130 }, startedAt: at(6), endedAt: at(7) }),
        result('staging/stg_rawg__games', null, 'succeeded', { result: { rows: 0 }, startedAt: at(7), endedAt: at(8) }),
      ],
      kindOf,
    );
    expect(digest.stepCount).toBe(5);
    expect(digest.assets).toEqual([
      expect.objectContaining({ asset: 'rawg/games', partitions: '2024-05-01..2024-05-02 (2)', steps: 2, succeeded: 2, rows: 130, requests: 4, spanMs: 5000 }),
      expect.objectContaining({ asset: 'staging/stg_rawg__games_daily', steps: 2, rows: 130, spanMs: 1000 }),
      // A view's rows mean nothing: null, shown as "-".
      expect.objectContaining({ asset: 'staging/stg_rawg__games', partitions: '-', rows: null }),
    ]);
  });

  it('folds checks by outcome and names every one that did not pass, failed first', () => {
    const failedCheck = new AssetError('checks/marts/dim_games/unique_game_id', null, new ModelError('check unique_game_id on marts/dim_games failed: 2 row(s) violate "unique"', { context: { check_status: 'failed', failing: 2 } }));
    const brokenCheck = new AssetError('checks/marts/dim_games/not_null_name', null, new WarehouseError('Binder Error: no column "name"'));
    const digest = summarizeRun(
      [
        result('checks/rawg/games/not_empty', '2024-05-01', 'succeeded', { result: { metadata: { status: 'passed', failing: 0 } } }),
        result('checks/marts/dim_games/accepted_range_rating', null, 'succeeded', { result: { metadata: { status: 'warned', failing: 3 } } }),
        result('checks/marts/dim_games/unique_game_id', null, 'failed', { error: failedCheck }),
        result('checks/marts/dim_games/not_null_name', null, 'failed', { error: brokenCheck }),
        result('checks/marts/dim_games/not_null_game_id', null, 'skipped', { error: new AssetError('x', null, new CanceledError('upstream')) }),
      ],
      kindOf,
    );
    expect(digest.checks.total).toBe(5);
    expect(digest.checks.counts).toEqual({ passed: 1, warned: 1, failed: 1, errored: 1, 'not run': 1 });
    expect(digest.checks.notable.map((c) => [c.outcome, c.check])).toEqual([
      ['failed', 'checks/marts/dim_games/unique_game_id'],
      ['errored', 'checks/marts/dim_games/not_null_name'],
      ['warned', 'checks/marts/dim_games/accepted_range_rating'],
    ]);
    expect(digest.checks.notable[2]!.message).toBe('3 row(s) violate it');
    // A failing rule is a check outcome; a check that could not run is also a failure to fix.
    expect(digest.failures.map((f) => f.steps)).toEqual([['checks/marts/dim_games/not_null_name']]);
  });

  it('groups failures that differ only in URL and day, keeping each cause apart', () => {
    const digest = summarizeRun(
      [
        result('rawg/genres', null, 'failed', { error: new AssetError('rawg/genres', null, unauthorized('http://h/api/genres?page=1')) }),
        result('rawg/games', '2024-05-01', 'failed', { error: new AssetError('rawg/games', '2024-05-01', unauthorized('http://h/api/games?updated=2024-05-01')) }),
        result('rawg/games', '2024-05-02', 'failed', { error: new AssetError('rawg/games', '2024-05-02', new HttpError('HTTP_TIMEOUT', 'no answer in 20000 ms', { hint: 'raise RAWG_TIMEOUT_MS' })) }),
        result('marts/dim_games', null, 'skipped', { error: new AssetError('marts/dim_games', null, new CanceledError('upstream rawg/games did not succeed')) }),
      ],
      kindOf,
    );
    expect(digest.failures).toEqual([
      { code: 'HTTP_UNAUTHORIZED', message: 'http://h/api/genres?page=1 answered 401: {"error":"Invalid API key"}', hint: 'check RAWG_API_KEY', steps: ['rawg/genres', 'rawg/games[2024-05-01]'] },
      { code: 'HTTP_TIMEOUT', message: 'no answer in 20000 ms', hint: 'raise RAWG_TIMEOUT_MS', steps: ['rawg/games[2024-05-02]'] },
    ]);
    expect(digest.notRun).toBe(1);
    expect(digest.assets.find((a) => a.asset === 'marts/dim_games')).toMatchObject({ notRun: 1, startedAt: null });
  });
});
