import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/index.js';
import { RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS } from '../ingestion/index.js';
import { createSqliteStateStore, cutPartitionRuns, type StepStatus } from '../orchestration/index.js';
import { tempDir } from '../tests/helpers/workspace.js';
import { readPartitionStatus } from './partition-status-entry.js';
import { ingestionPartitions } from './partition-status-ingestion.js';
import { compactPartitionRanges, formatHoursByDay, formatPartitionRanges, hoursByDay, partitionStatus } from './partition-status.js';
import { openWorkspace } from './workspace.js';

/** The runs a state store returns for these recorded partitions. */
function runsOf(recorded: ReadonlyMap<string, StepStatus>) {
  const keys = [...recorded.keys()].sort();
  return cutPartitionRuns(JSON.stringify(keys), keys.map((k) => recorded.get(k)!).join(','));
}

describe('compactPartitionRanges', () => {
  it('run-length encodes ok, failed and missing days across the definition', () => {
    const recorded = new Map([
      ['2024-01-02', 'succeeded' as const],
      ['2024-01-03', 'succeeded' as const],
      ['2024-01-04', 'failed' as const],
      ['2024-01-06', 'skipped' as const],
    ]);
    const ranges = compactPartitionRanges(runsOf(recorded), '2024-01-01', '2024-01-07');
    expect(formatPartitionRanges(ranges)).toBe(
      '2024-01-01 missing, 2024-01-02..2024-01-03 ok (2), 2024-01-04 failed, 2024-01-05..2024-01-07 missing (3)',
    );
  });

  it('includes recorded partitions outside the range and crosses year ends', () => {
    const ranges = compactPartitionRanges(runsOf(new Map([['2023-12-31', 'succeeded' as const]])), '2024-01-01', '2024-01-01');
    expect(ranges).toEqual([
      { from: '2023-12-31', to: '2023-12-31', status: 'ok', count: 1 },
      { from: '2024-01-01', to: '2024-01-01', status: 'missing', count: 1 },
    ]);
  });
});

describe('hourly partition ranges', () => {
  const recorded = new Map([
    ...Array.from({ length: 24 }, (_, h) => [`2026-12-01T${String(h).padStart(2, '0')}`, 'succeeded' as const] as const),
    ['2026-12-02T00', 'succeeded' as const],
    ['2026-12-02T01', 'failed' as const],
    ['2026-11-29', 'succeeded' as const], // a day key recorded before the asset became hourly
  ]);
  const ranges = compactPartitionRanges(runsOf(new Map(recorded)), '2026-11-29T00', '2026-12-03T10', 'hour');

  it('run-length encodes hours across midnight', () => {
    expect(formatPartitionRanges(ranges)).toBe(
      '2026-11-29T00..2026-11-30T23 missing (48), 2026-12-01T00..2026-12-02T00 ok (25), 2026-12-02T01 failed, 2026-12-02T02..2026-12-03T10 missing (33)',
    );
  });

  it('groups hours per day, merging runs of whole days in one state', () => {
    expect(hoursByDay(ranges)).toEqual([
      { from: '2026-11-29', to: '2026-11-30', ok: 0, failed: 0, missing: 48 },
      { from: '2026-12-01', to: '2026-12-01', ok: 24, failed: 0, missing: 0 },
      { from: '2026-12-02', to: '2026-12-02', ok: 1, failed: 1, missing: 22 },
      { from: '2026-12-03', to: '2026-12-03', ok: 0, failed: 0, missing: 11 },
    ]);
    expect(formatHoursByDay(hoursByDay(ranges))).toEqual([
      '2026-11-29..2026-11-30 missing (48 hours)',
      '2026-12-01 ok (24 hours)',
      '2026-12-02 1 ok, 1 failed, 22 missing',
      '2026-12-03 missing (11 hours)',
    ]);
  });
});

describe('partition status without the models', () => {
  it('gives every ingestion asset the partitions the asset graph gives it', () => {
    const home = tempDir('gmp-parts-');
    const graph = openWorkspace({ cwd: home, env: { GMP_HOME: home } }).graph;
    const ingestion = [...graph.assets.values()].filter((a) => a.kind === 'ingestion');
    expect(ingestion.length).toBeGreaterThan(5);
    for (const asset of ingestion) expect(ingestionPartitions(asset.key, [...RAWG_ENDPOINTS, ...RAWG_DETAIL_ENDPOINTS])).toEqual(asset.partitions);
    expect(ingestionPartitions('marts/dim_games', RAWG_ENDPOINTS)).toBeUndefined();
  });

  it('reads the report partitionStatus makes, for ingestion and model assets, and creates no state', async () => {
    const home = tempDir('gmp-parts-');
    const options = { cwd: home, env: { GMP_HOME: home }, clock: fixedClock('2015-01-10T12:00:00Z') };
    expect((await readPartitionStatus('rawg/games', options)).counts).toEqual({ ok: 0, failed: 0, missing: 10 });
    expect(existsSync(path.join(home, 'state.sqlite'))).toBe(false);

    const state = createSqliteStateStore(path.join(home, 'state.sqlite'));
    const record = (asset: string, partition: string | null, status: StepStatus) =>
      state.recordMaterialization({ runId: 'r', asset, partition, status, startedAt: 'a', endedAt: 'b', durationMs: 1, rows: 1, pages: 1, requests: 1, metadata: null, error: null });
    for (const day of ['2015-01-02', '2015-01-03', '2015-01-05']) await record('rawg/games', day, 'succeeded');
    await record('rawg/games', '2015-01-04', 'failed');
    await record('rawg/genres', null, 'succeeded');
    await record('marts/fct_game_daily_snapshot', '2015-01-03', 'succeeded');
    await state.close();

    const ws = openWorkspace(options);
    for (const asset of ['rawg/games', 'rawg/genres', 'rawg/game_details', 'marts/fct_game_daily_snapshot']) {
      expect(await readPartitionStatus(asset, options)).toEqual(await partitionStatus(ws, asset));
    }
    const games = await readPartitionStatus('rawg/games', options);
    expect(formatPartitionRanges(games.ranges)).toBe('2015-01-01 missing, 2015-01-02..2015-01-03 ok (2), 2015-01-04 failed, 2015-01-05 ok, 2015-01-06..2015-01-10 missing (5)');
    await expect(readPartitionStatus('rawg/nope', options)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
