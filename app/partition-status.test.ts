import { describe, expect, it } from 'vitest';
import { compactPartitionRanges, formatPartitionRanges } from './partition-status.js';

describe('compactPartitionRanges', () => {
  it('run-length encodes ok, failed and missing days across the definition', () => {
    const recorded = new Map([
      ['2024-01-02', 'succeeded' as const],
      ['2024-01-03', 'succeeded' as const],
      ['2024-01-04', 'failed' as const],
      ['2024-01-06', 'skipped' as const],
    ]);
    const ranges = compactPartitionRanges(recorded, '2024-01-01', '2024-01-07');
    expect(formatPartitionRanges(ranges)).toBe(
      '2024-01-01 missing, 2024-01-02..2024-01-03 ok (2), 2024-01-04 failed, 2024-01-05..2024-01-07 missing (3)',
    );
  });

  it('includes recorded partitions outside the range and crosses year ends', () => {
    const ranges = compactPartitionRanges(new Map([['2023-12-31', 'succeeded' as const]]), '2024-01-01', '2024-01-01');
    expect(ranges).toEqual([
      { from: '2023-12-31', to: '2023-12-31', status: 'ok', count: 1 },
      { from: '2024-01-01', to: '2024-01-01', status: 'missing', count: 1 },
    ]);
  });
});
