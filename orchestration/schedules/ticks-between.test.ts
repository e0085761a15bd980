import { describe, expect, it } from 'vitest';
import { nextTick } from './next-tick.js';
import { ticksBetween } from './ticks-between.js';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const at = (s: string): Date => new Date(s);

describe('ticksBetween', () => {
  it('returns the ticks in (after, until], ascending', () => {
    const daily = { cron: '0 3 * * *' };
    expect(iso(ticksBetween(daily, at('2025-06-28T03:00Z'), at('2025-06-30T03:00Z')))).toEqual([
      '2025-06-29T03:00:00.000Z',
      '2025-06-30T03:00:00.000Z',
    ]);
    expect(ticksBetween(daily, at('2025-06-30T03:00Z'), at('2025-06-30T03:00Z'))).toEqual([]);
    expect(ticksBetween(daily, at('2025-06-30T04:00Z'), at('2025-06-30T02:00Z'))).toEqual([]);
  });

  it('steps within a day and across month and year ends, without DST shifts', () => {
    // 2024-12-31T00:30 and 08:30 are before `after`; 16:30 too; the next is the new year's 00:30.
    expect(iso(ticksBetween({ cron: '30 */8 * * *' }, at('2024-12-31T20:00Z'), at('2025-01-01T09:00Z')))).toEqual([
      '2025-01-01T00:30:00.000Z',
      '2025-01-01T08:30:00.000Z',
    ]);
    // Across the EU (Mar 30) and US (Mar 9) clock changes: still every 24 h in UTC.
    const march = ticksBetween({ cron: '0 2 * * *' }, at('2025-03-01T00:00Z'), at('2025-04-01T00:00Z'));
    expect(march).toHaveLength(31);
    expect(march.every((d, i) => i === 0 || d.getTime() - march[i - 1]!.getTime() === 86_400_000)).toBe(true);
    expect(iso(ticksBetween({ cron: '0 0 28-31 * *' }, at('2025-02-01T00:00Z'), at('2025-03-31T23:59Z')))).toEqual([
      '2025-02-28T00:00:00.000Z',
      '2025-03-28T00:00:00.000Z',
      '2025-03-29T00:00:00.000Z',
      '2025-03-30T00:00:00.000Z',
      '2025-03-31T00:00:00.000Z',
    ]);
  });

  it('counts weekly ticks on Mondays only', () => {
    const mondays = ticksBetween({ cron: '0 4 * * 1' }, at('2025-06-01T00:00Z'), at('2025-07-01T00:00Z'));
    expect(iso(mondays)).toEqual(['2025-06-02T04:00:00.000Z', '2025-06-09T04:00:00.000Z', '2025-06-16T04:00:00.000Z', '2025-06-23T04:00:00.000Z', '2025-06-30T04:00:00.000Z']);
  });

  it('is deterministic over a decade of a daily schedule (bench/schedule-ticks.ts times it)', () => {
    const a = ticksBetween({ cron: '0 3 * * *' }, at('2015-01-01T00:00Z'), at('2025-01-01T00:00Z'));
    expect(a).toHaveLength(3653);
    expect(iso(ticksBetween({ cron: '0 3 * * *' }, at('2015-01-01T00:00Z'), at('2025-01-01T00:00Z')))).toEqual(iso(a));
  });
});

describe('nextTick', () => {
  it('is the first tick strictly after the instant', () => {
    expect(nextTick({ cron: '0 3 * * *' }, at('2025-06-30T03:00Z'))?.toISOString()).toBe('2025-07-01T03:00:00.000Z');
    expect(nextTick({ cron: '0 3 * * *' }, at('2025-06-30T02:59:59.999Z'))?.toISOString()).toBe('2025-06-30T03:00:00.000Z');
    expect(nextTick({ cron: '0 4 * * 1' }, at('2025-07-01T00:00Z'))?.toISOString()).toBe('2025-07-07T04:00:00.000Z');
    expect(nextTick({ cron: '0 0 31 12 *' }, at('2025-06-30T00:00Z'))?.toISOString()).toBe('2025-12-31T00:00:00.000Z');
  });

  it('finds leap days years ahead and returns null for dates that never exist', () => {
    expect(nextTick({ cron: '0 0 29 2 *' }, at('2025-03-01T00:00Z'))?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(nextTick({ cron: '0 0 30 2 *' }, at('2025-03-01T00:00Z'))).toBeNull();
  });
});
