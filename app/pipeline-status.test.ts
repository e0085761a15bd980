import { describe, expect, it } from 'vitest';
import { testWorkspace } from '../tests/helpers/workspace.js';
import { pipelineStatus } from './pipeline-status.js';
import { openStateStore } from './workspace.js';

const NOW = '2025-06-30T12:00:00Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

describe('gmp status: source freshness from sources.yml', () => {
  it("judges each raw table's last load against its warn_after / error_after (table settings override the source's)", async () => {
    const ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9/api', key: 'status-key', now: NOW });
    const state = await openStateStore(ws);
    try {
      await state.createRun({ runId: 'r', kind: 'materialize', selection: '*', partitions: '-', startedAt: hoursAgo(300) });
      const loaded = (asset: string, partition: string | null, h: number) =>
        state.recordMaterialization({ runId: 'r', asset, partition, status: 'succeeded', startedAt: hoursAgo(h), endedAt: hoursAgo(h), durationMs: 1, rows: 1, pages: 1, requests: 1, metadata: null, error: null });
      // Daily assets: the age of the newest day's end (source level: warn 36 h, error 72 h).
      await loaded('rawg/games', '2025-06-26', 1); // 2025-06-27 00:00 is 84 h before now
      await loaded('rawg/games', '2019-03-01', 1); // an old day backfilled an hour ago changes nothing
      await loaded('rawg/game_details', '2025-06-28', 1); // 2025-06-29 00:00 is 36 h before now
      await loaded('rawg/genres', null, 24 * 9); // table level: warn after 8 days, no error
      await loaded('rawg/stores', null, 24 * 2);
    } finally {
      await state.close();
    }
    const report = new Map((await pipelineStatus(ws)).map((a) => [a.asset, a.sourceFreshness]));
    expect(report.get('rawg/games')).toEqual({ status: 'error', ageHours: 84, warnAfterHours: 36, errorAfterHours: 72 });
    expect(report.get('rawg/game_details')).toMatchObject({ status: 'pass', ageHours: 36 });
    expect(report.get('rawg/genres')).toEqual({ status: 'warn', ageHours: 216, warnAfterHours: 192, errorAfterHours: undefined });
    expect(report.get('rawg/stores')).toMatchObject({ status: 'pass', ageHours: 48 });
    expect(report.get('rawg/platforms')).toEqual({ status: 'warn', ageHours: null, warnAfterHours: 192, errorAfterHours: undefined });
    // Assets that are not sources have no source freshness.
    expect(report.get('marts/dim_games')).toBeUndefined();
    expect(report.get('rawg/creator_roles')).toBeUndefined();
  });
});
