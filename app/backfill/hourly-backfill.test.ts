import { describe, expect, it } from 'vitest';
import { dailyPartitions, fixedClock, hourlyPartitions, type AssetDefinition } from '../../core/index.js';
import { buildAssetGraph, type PipelineResources } from '../../orchestration/index.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import { partitionStatus } from '../partition-status.js';
import { pipelineStatus } from '../pipeline-status.js';
import { openWorkspace, type Workspace } from '../workspace.js';
import { backfillStatus } from './backfill-status.js';
import { startBackfill } from './backfill.js';

// A graph of its own (an hourly asset and a daily one reading it) on a real workspace: state in
// SQLite, runs executed and recorded as `gmp backfill` does.
function hourlyWorkspace(materialized: string[]): Workspace {
  const home = tempDir('gmp-hourly-bf-');
  const base = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_LOG_LEVEL: 'silent' }, clock: fixedClock('2026-12-03T10:20:00Z') });
  const asset = (key: string, partitions: AssetDefinition['partitions'], deps: string[]): AssetDefinition<PipelineResources> => ({
    key, description: key, deps: deps.map((d) => ({ key: d })), partitions, group: key.split('/')[0]!, kind: 'table', tags: [],
    materialize: async (ctx) => {
      materialized.push(`${ctx.assetKey}[${ctx.partitionKey}]`);
      return { rows: 1 };
    },
  });
  const graph = buildAssetGraph([
    asset('events/hourly', hourlyPartitions('2026-11-01'), []),
    asset('marts/daily_players', dailyPartitions('2026-11-01'), ['events/hourly']),
  ]);
  return { config: base.config, clock: base.clock, vars: {}, logTo: 'file', get project() { return base.project; }, get lineageProject() { return base.lineageProject; }, graph };
}

describe('a backfill over an hourly asset', () => {
  it('runs a day range as every hour (and the days downstream), records them, and shows them per day', async () => {
    const done: string[] = [];
    const ws = hourlyWorkspace(done);
    const outcome = await startBackfill(ws, { select: 'events/hourly+', from: '2026-12-01', to: '2026-12-02', concurrency: 2 });
    expect(outcome.counts.succeeded).toBe(48 + 2);
    expect(done.filter((d) => d.startsWith('events/hourly')).sort()).toHaveLength(48);
    // Each day downstream ran after its 24 hours.
    expect(done.indexOf('marts/daily_players[2026-12-01]')).toBeGreaterThan(done.indexOf('events/hourly[2026-12-01T23]'));

    const status = await backfillStatus(ws, outcome.backfill.backfillId);
    expect(status.assets.find((a) => a.asset === 'events/hourly')!.ranges).toEqual([
      { from: '2026-12-01T00', to: '2026-12-02T23', status: 'succeeded', count: 48 },
    ]);
    const hours = await partitionStatus(ws, 'events/hourly');
    expect(hours).toMatchObject({ grain: 'hour', counts: { ok: 48, failed: 0 } });
    expect(hours.days!.filter((d) => d.ok > 0)).toEqual([{ from: '2026-12-01', to: '2026-12-02', ok: 48, failed: 0, missing: 0 }]);

    // Hour H is due by H+2h: at 10:20 the 08:00 hour is due, and the hours since Nov 26 09:00 but Dec 1-2 are late.
    const freshness = await pipelineStatus(ws);
    expect(freshness.find((a) => a.asset === 'events/hourly')).toMatchObject({ due: '2026-12-03T08', latest: '2026-12-02T23', status: 'late' });
    const late = freshness.find((a) => a.asset === 'events/hourly')!.late;
    expect([late.length, late[0], late.at(-1)]).toEqual([7 * 24 - 48, '2026-12-03T08', '2026-11-26T09']);
    expect(freshness.find((a) => a.asset === 'marts/daily_players')).toMatchObject({ due: '2026-12-02', status: 'fresh' });

    // A second backfill over hours of those days skips what is done.
    done.length = 0;
    const again = await startBackfill(ws, { select: 'events/hourly', from: '2026-12-02T22', to: '2026-12-03T01' });
    expect(again.counts).toMatchObject({ skipped: 2, succeeded: 2 });
    expect(done.sort()).toEqual(['events/hourly[2026-12-03T00]', 'events/hourly[2026-12-03T01]']);
  });
});
