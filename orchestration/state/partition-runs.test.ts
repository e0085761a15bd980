import { describe, expect, it } from 'vitest';
import { createPrng } from '../../core/index.js';
import { cutPartitionRuns, type PartitionRun } from './partition-runs.js';
import type { StepStatus } from './state-store.js';

/** What a state store hands over: the keys (sorted, as stored) as JSON, the statuses joined by commas. */
function cut(recorded: Record<string, StepStatus>): PartitionRun[] {
  const keys = Object.keys(recorded).sort();
  return cutPartitionRuns(JSON.stringify(keys), keys.map((k) => recorded[k]).join(','));
}

/** The same runs, the slow and obvious way: a key continues a run when it is the next day or hour (Date arithmetic). */
function reference(recorded: Record<string, StepStatus>): PartitionRun[] {
  const next = (key: string): string | undefined => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return new Date(Date.parse(`${key}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(key)) return new Date(Date.parse(`${key}:00:00Z`) + 3_600_000).toISOString().slice(0, 13);
    return undefined;
  };
  const runs: PartitionRun[] = [];
  for (const key of Object.keys(recorded).sort()) {
    const last = runs.at(-1);
    if (last?.to !== null && last !== undefined && next(last.to) === key && last.status === recorded[key]) {
      last.to = key;
      last.count++;
    } else {
      runs.push({ from: key || null, to: key || null, status: recorded[key]!, count: 1 });
    }
  }
  return runs;
}

describe('cutPartitionRuns', () => {
  it('cuts at a status change, a gap, and a change of key shape', () => {
    expect(cut({ '2024-02-28': 'succeeded', '2024-02-29': 'succeeded', '2024-03-01': 'succeeded', '2024-03-02': 'failed', '2024-03-04': 'failed', '2024-03-04T00': 'failed', '2024-03-04T01': 'failed' })).toEqual([
      { from: '2024-02-28', to: '2024-03-01', status: 'succeeded', count: 3 },
      { from: '2024-03-02', to: '2024-03-02', status: 'failed', count: 1 },
      { from: '2024-03-04', to: '2024-03-04', status: 'failed', count: 1 },
      { from: '2024-03-04T00', to: '2024-03-04T01', status: 'failed', count: 2 },
    ]);
  });

  it('knows the calendar: no 29 February in 2023 or 1900, one in 2000, hours across midnight and year ends', () => {
    expect(cut({ '2023-02-28': 'succeeded', '2023-03-01': 'succeeded' })).toHaveLength(1);
    expect(cut({ '1900-02-28': 'succeeded', '1900-03-01': 'succeeded' })).toHaveLength(1);
    expect(cut({ '2000-02-28': 'succeeded', '2000-03-01': 'succeeded' })).toHaveLength(2);
    expect(cut({ '2025-12-31T23': 'failed', '2026-01-01T00': 'failed' })).toEqual([{ from: '2025-12-31T23', to: '2026-01-01T00', status: 'failed', count: 2 }]);
  });

  it('keeps other keys, escaped ones too, as runs of one, and the unpartitioned record as null', () => {
    expect(cut({ '': 'succeeded' })).toEqual([{ from: null, to: null, status: 'succeeded', count: 1 }]);
    const odd = { 'a"b': 'succeeded', 'a\\b': 'succeeded', '2024-13-01': 'succeeded', '2024-12-32': 'succeeded', 'é-1': 'failed' } as const;
    expect(cut(odd)).toEqual(Object.keys(odd).sort().map((k) => ({ from: k, to: k, status: odd[k as keyof typeof odd], count: 1 })));
    expect(cutPartitionRuns('[]', '')).toEqual([]);
  });

  it('agrees with the obvious cut on random histories', () => {
    const prng = createPrng(15);
    for (let round = 0; round < 50; round++) {
      const recorded: Record<string, StepStatus> = {};
      const hourly = round % 2 === 1;
      let at = Date.UTC(1999 + Math.floor(prng() * 30), 0, 1);
      for (let i = 0; i < 300; i++) {
        at += (prng() < 0.8 ? 1 : 1 + Math.floor(prng() * 5)) * (hourly ? 3_600_000 : 86_400_000);
        recorded[new Date(at).toISOString().slice(0, hourly ? 13 : 10)] = prng() < 0.9 ? 'succeeded' : 'failed';
      }
      expect(cut(recorded)).toEqual(reference(recorded));
    }
  });
});
