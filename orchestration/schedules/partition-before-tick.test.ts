import { describe, expect, it } from 'vitest';
import { dailyPartitions, fixedClock, hourlyPartitions, type AssetDefinition } from '../../core/index.js';
import { planRun } from '../execute/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { selectAssets } from '../selection/index.js';
import { partitionBeforeTick } from './partition-before-tick.js';
import type { ScheduleDefinition } from './schedule-definition.js';
import { ticksBetween } from './ticks-between.js';
import { validateSchedules } from './validate-schedules.js';

const asset = (key: string, hourly: boolean, deps: string[] = []): AssetDefinition => ({
  key, description: '', deps: deps.map((d) => ({ key: d })), partitions: hourly ? hourlyPartitions('2026-11-01') : dailyPartitions('2026-11-01'),
  group: 'g', kind: 'table', tags: [], materialize: async () => ({}),
});

describe('partitionBeforeTick', () => {
  it('takes the previous UTC hour for an hourly tick, across midnight, and yesterday for a daily one', () => {
    expect(partitionBeforeTick(new Date('2026-12-01T10:05:00Z'), 'hourly')).toBe('2026-12-01T09');
    expect(partitionBeforeTick(new Date('2026-12-01T00:05:00Z'), 'hourly')).toBe('2026-11-30T23');
    expect(partitionBeforeTick(new Date('2026-12-01T03:00:00Z'), 'daily')).toBe('2026-11-30');
  });

  it('drives an hourly schedule: each tick plans the hour before it, and the day it falls in downstream', () => {
    const graph = buildAssetGraph([asset('raw/events', true), asset('marts/daily_players', false, ['raw/events'])]);
    const hourly: ScheduleDefinition = {
      name: 'hourly_events', cron: '5 * * * *', description: 'the previous hour of events',
      target: (tick) => ({ select: 'raw/events+', partition: partitionBeforeTick(tick, 'hourly') }),
    };
    expect(() => validateSchedules([hourly], graph, new Date('2026-12-01T10:00:00Z'))).not.toThrow();
    const ticks = ticksBetween(hourly, new Date('2026-12-01T22:30:00Z'), new Date('2026-12-02T00:30:00Z'));
    expect(ticks.map((t) => hourly.target(t).partition)).toEqual(['2026-12-01T22', '2026-12-01T23']);
    const last = ticks.at(-1)!;
    const target = hourly.target(last);
    const steps = planRun(graph, { assets: selectAssets(graph, target.select), partitions: [target.partition!] }, fixedClock(last));
    expect(steps.map((s) => s.id)).toEqual(['raw/events[2026-12-01T23]', 'marts/daily_players[2026-12-01]']);
  });
});
