import { describe, expect, it } from 'vitest';
import { dailyPartitions, fixedClock, hourlyPartitions, type AssetDefinition, type AssetDep, type PartitionsDefinition } from '../../core/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { selectAssets } from '../selection/index.js';
import { planRun } from './plan-run.js';

const clock = fixedClock('2026-12-03T10:20:00Z');
const asset = (key: string, partitions: PartitionsDefinition, deps: AssetDep[] = [], supportsRanges = false): AssetDefinition => ({
  key, description: '', deps, partitions, group: key.split('/')[0]!, kind: 'table', tags: [], supportsRanges,
  materialize: async () => ({}),
});
const hourly = hourlyPartitions('2026-11-01');
const daily = dailyPartitions('2026-11-01');

// raw/events (hourly) -> staging/sessions (hourly) -> marts/daily_players (daily) -> marts/player_hours (hourly)
const graph = buildAssetGraph([
  asset('raw/events', hourly),
  asset('staging/sessions', hourly, [{ key: 'raw/events' }]),
  asset('marts/daily_players', daily, [{ key: 'staging/sessions' }]),
  asset('marts/player_hours', hourly, [{ key: 'marts/daily_players' }]),
  asset('marts/rolled', hourly, [{ key: 'raw/events' }], true),
]);
const plan = (select: string, partitions: string[], rangeSteps = false) => planRun(graph, { assets: selectAssets(graph, select), partitions }, clock, { rangeSteps });

describe('hourly assets in a plan', () => {
  it('take a day as its 24 hours, and a daily downstream needs all of them', () => {
    const steps = plan('raw/events+', ['2026-12-01']);
    const byAsset = (a: string) => steps.filter((s) => s.asset === a);
    expect(byAsset('raw/events')).toHaveLength(24);
    expect(byAsset('staging/sessions').map((s) => s.needs)).toEqual(byAsset('raw/events').map((s) => [s.id]));
    const [day] = byAsset('marts/daily_players');
    expect(day!.id).toBe('marts/daily_players[2026-12-01]');
    expect(day!.needs).toEqual(byAsset('staging/sessions').map((s) => s.id));
    // An hourly asset on a daily one needs its day.
    expect(byAsset('marts/player_hours').map((s) => s.needs)).toEqual(Array.from({ length: 24 }, () => ['marts/daily_players[2026-12-01]']));
  });

  it('backfill two days of an hourly asset as 48 partitions', () => {
    const steps = plan('raw/events', ['2026-12-01', '2026-12-02']);
    expect(steps).toHaveLength(48);
    expect(steps[0]!.id).toBe('raw/events[2026-12-01T00]');
    expect(steps[47]!.id).toBe('raw/events[2026-12-02T23]');
  });

  it('run one hour of an hourly asset, and that hour\'s day of a daily one', () => {
    const steps = plan('staging/sessions+1', ['2026-12-01T05']);
    expect(steps.map((s) => [s.id, s.needs])).toEqual([
      ['staging/sessions[2026-12-01T05]', []],
      ['marts/daily_players[2026-12-01]', ['staging/sessions[2026-12-01T05]']],
    ]);
  });

  it('cover an hour range crossing midnight with the two days it touches', () => {
    const steps = plan('staging/sessions+1', ['2026-12-01T23', '2026-12-02T00']);
    expect(steps.filter((s) => s.asset === 'marts/daily_players').map((s) => [s.id, s.needs])).toEqual([
      ['marts/daily_players[2026-12-01]', ['staging/sessions[2026-12-01T23]']],
      ['marts/daily_players[2026-12-02]', ['staging/sessions[2026-12-02T00]']],
    ]);
  });

  it('plan today only up to the current hour', () => {
    expect(plan('raw/events', ['2026-12-03']).map((s) => s.partition).at(-1)).toBe('2026-12-03T10');
  });

  it('plan one range step over a day\'s hours for assets that support ranges', () => {
    const steps = plan('marts/rolled', ['2026-12-01'], true);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ id: 'marts/rolled[2026-12-01T00..2026-12-01T23]' });
    expect(steps[0]!.range).toHaveLength(24);
  });

  it('refuse hours outside the definition, and ask for a partition by hour', () => {
    expect(() => plan('raw/events', ['2026-12-03T11'])).toThrow(/outside raw\/events's hourly partitions \(2026-11-01T00\.\.2026-12-03T10, UTC hours\)/);
    expect(() => planRun(graph, { assets: ['raw/events'], partitions: null }, clock)).toThrow(/raw\/events is partitioned by hour: pass --partition YYYY-MM-DDTHH/);
  });

  it('shift an offset mapping by whole days of hours', () => {
    const shifted = buildAssetGraph([asset('a/h', hourly), asset('b/h', hourly, [{ key: 'a/h', mapping: { type: 'time_window_offset', offsetDays: -1 } }])]);
    const steps = planRun(shifted, { assets: shifted.order, partitions: ['2026-12-01T05', '2026-12-02T05'] }, clock);
    expect(steps.find((s) => s.id === 'b/h[2026-12-02T05]')!.needs).toEqual(['a/h[2026-12-01T05]']);
  });

  it('reject a time window mapping onto an unpartitioned asset', () => {
    const build = () => buildAssetGraph([asset('a/u', { type: 'unpartitioned' }), asset('b/h', hourly, [{ key: 'a/u', mapping: { type: 'time_window' } }])]);
    expect(build).toThrow(/b\/h -> a\/u: time_window mapping needs both assets partitioned by time/);
  });
});
