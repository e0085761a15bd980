import { describe, expect, it } from 'vitest';
import { dailyPartitions, fixedClock, unpartitioned, type AssetDefinition, type PartitionMapping } from '../../core/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { planRun, runnableSteps } from './plan-run.js';

const clock = fixedClock('2024-06-01T00:00:00Z');
const asset = (key: string, daily: boolean, deps: { key: string; mapping?: PartitionMapping }[] = []): AssetDefinition => ({
  key, description: '', deps, partitions: daily ? dailyPartitions('2024-01-01') : unpartitioned, group: 'g', kind: 'table', tags: [],
  materialize: async () => ({}),
});

describe('partition mappings in a plan', () => {
  const graph = buildAssetGraph([
    asset('a/daily', true),
    asset('a/snapshot', false),
    asset('b/offset', true, [{ key: 'a/daily', mapping: { type: 'time_window_offset', offsetDays: -1 } }]),
    asset('b/last', false, [{ key: 'a/daily', mapping: { type: 'last' } }]),
    asset('b/uses_snapshot', true, [{ key: 'a/snapshot' }]),
  ]);
  const steps = planRun(graph, { assets: graph.order, partitions: ['2024-05-01', '2024-05-02', '2024-05-03'] }, clock);
  const needs = Object.fromEntries(steps.map((s) => [s.id, s.needs]));

  it('maps "the partition of D-1" within the run', () => {
    expect(needs['b/offset[2024-05-01]']).toEqual([]);
    expect(needs['b/offset[2024-05-02]']).toEqual(['a/daily[2024-05-01]']);
    expect(needs['b/offset[2024-05-03]']).toEqual(['a/daily[2024-05-02]']);
  });

  it('maps "last" to the newest upstream partition, and daily-on-unpartitioned to the single step', () => {
    expect(needs['b/last']).toEqual(['a/daily[2024-05-03]']);
    expect(needs['b/uses_snapshot[2024-05-02]']).toEqual(['a/snapshot']);
  });
});

describe('recorded state in a plan', () => {
  const graph = buildAssetGraph([asset('a/daily', true), asset('b/daily', true, [{ key: 'a/daily' }])]);
  const succeeded = (key: string) => new Set(key === 'a/daily' ? ['2024-05-01'] : []);
  const request = { assets: graph.order, partitions: ['2024-05-01', '2024-05-02'] };

  it('marks materialized steps, and runnable steps no longer wait for them', () => {
    const steps = planRun(graph, request, clock, { succeeded });
    expect(steps.filter((s) => s.materialized).map((s) => s.id)).toEqual(['a/daily[2024-05-01]']);
    const runnable = runnableSteps(steps);
    expect(runnable.map((s) => [s.id, s.needs])).toEqual([
      ['a/daily[2024-05-02]', []],
      ['b/daily[2024-05-01]', []],
      ['b/daily[2024-05-02]', ['a/daily[2024-05-02]']],
    ]);
  });

  it('re-runs a materialized step when something it reads will run', () => {
    const all = (key: string) => new Set(key === 'a/daily' ? ['2024-05-01'] : ['2024-05-01', '2024-05-02']);
    const steps = planRun(graph, request, clock, { succeeded: all });
    expect(steps.filter((s) => !s.materialized).map((s) => s.id)).toEqual(['a/daily[2024-05-02]', 'b/daily[2024-05-02]']);
  });

  it('plans everything with force', () => {
    expect(planRun(graph, request, clock, { succeeded, force: true }).some((s) => s.materialized)).toBe(false);
  });
});

describe('range steps', () => {
  const ranged = (key: string, deps: { key: string }[]): AssetDefinition => ({ ...asset(key, true, deps), supportsRanges: true });
  const graph = buildAssetGraph([asset('a/daily', true), ranged('m/model', [{ key: 'a/daily' }]), asset('c/check', true, [{ key: 'm/model' }])]);
  const request = { assets: graph.order, partitions: ['2024-05-01', '2024-05-02', '2024-05-03'] };

  it('plan one step over the whole range for assets that support it, and map partitions onto it', () => {
    const steps = planRun(graph, request, clock, { rangeSteps: true });
    const model = steps.find((s) => s.asset === 'm/model')!;
    expect(model).toMatchObject({ id: 'm/model[2024-05-01..2024-05-03]', range: ['2024-05-01', '2024-05-02', '2024-05-03'] });
    expect(model.needs).toEqual(['a/daily[2024-05-01]', 'a/daily[2024-05-02]', 'a/daily[2024-05-03]']);
    expect(steps.filter((s) => s.asset === 'c/check').map((s) => s.needs)).toEqual([[model.id], [model.id], [model.id]]);
  });

  it('keep one step per partition without the option or for a single partition', () => {
    expect(planRun(graph, request, clock).filter((s) => s.asset === 'm/model')).toHaveLength(3);
    expect(planRun(graph, { ...request, partitions: ['2024-05-01'] }, clock, { rangeSteps: true }).find((s) => s.asset === 'm/model')!.range).toBeUndefined();
  });
});

describe('mapping validation when the graph is built', () => {
  it('reports every bad mapping at once, with asset keys', () => {
    const build = () =>
      buildAssetGraph([
        asset('a/daily', true),
        asset('a/snapshot', false),
        asset('c/bad_identity', false, [{ key: 'a/daily', mapping: { type: 'identity' } }]),
        asset('c/bad_last', false, [{ key: 'a/snapshot', mapping: { type: 'last' } }]),
        asset('c/bad_offset', true, [{ key: 'a/daily', mapping: { type: 'time_window_offset', offsetDays: 0.5 } }]),
      ]);
    expect(build).toThrow(/3 definition problem/);
    expect(build).toThrow(/asset c\/bad_identity -> a\/daily: identity mapping needs both assets partitioned alike \(unpartitioned vs daily\)/);
    expect(build).toThrow(/asset c\/bad_last -> a\/snapshot: last mapping needs a daily- or hourly-partitioned upstream/);
    expect(build).toThrow(/asset c\/bad_offset -> a\/daily: time_window_offset mapping needs a non-zero whole number of days/);
  });
});
