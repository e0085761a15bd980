import { describe, expect, it } from 'vitest';
import { cutPartitionRuns, type StepStatus } from '../orchestration/index.js';
import { compactPartitionRanges, formatHoursByDay, formatPartitionRanges, hoursByDay } from './partition-status.js';

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
