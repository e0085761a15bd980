import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../core/index.js';
import { cronMatches } from './cron-matches.js';
import { parseCron } from './parse-cron.js';

const at = (iso: string): Date => new Date(iso);

describe('parseCron', () => {
  it('reads lists, ranges, steps, names and macros', () => {
    const spec = parseCron('*/15 9-17/4 1,15 JAN-mar mon-fri');
    expect(spec.minutes).toEqual([0, 15, 30, 45]);
    expect(spec.hours).toEqual([9, 13, 17]);
    expect(spec.daysOfMonth).toEqual([1, 15]);
    expect(spec.months).toEqual([1, 2, 3]);
    expect(spec.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(spec.dayOr).toBe(true);
    expect(parseCron('5/20 0 * * *').minutes).toEqual([5, 25, 45]);
    expect(parseCron('@daily')).toMatchObject({ minutes: [0], hours: [0], dayOr: false });
    expect(parseCron('@weekly').daysOfWeek).toEqual([0]);
  });

  it('reads day-of-week 7 as Sunday', () => {
    expect(parseCron('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(parseCron('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
  });

  it('reports every bad field at once with the expression', () => {
    expect(() => parseCron('0 3 * *')).toThrow(/expected 5 fields/);
    try {
      parseCron('60 24 0 13 8');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
      expect((error as DefinitionError).problems).toEqual([
        'cron "60 24 0 13 8": minute field "60": 60 is outside 0-59',
        'cron "60 24 0 13 8": hour field "24": 24 is outside 0-23',
        'cron "60 24 0 13 8": day-of-month field "0": 0 is outside 1-31',
        'cron "60 24 0 13 8": month field "13": 13 is outside 1-12',
        'cron "60 24 0 13 8": day-of-week field "8": 8 is outside 0-7',
      ]);
    }
    expect(() => parseCron('*/0 * * * *')).toThrow(/bad step/);
    expect(() => parseCron('5-1 * * * *')).toThrow(/runs backwards/);
    expect(() => parseCron('x * * * *')).toThrow(/"x" is not a number/);
    expect(() => parseCron('0 0 * * funday')).toThrow(/not a number or a name/);
  });
});

describe('cronMatches (UTC)', () => {
  it('matches the minute, ignoring seconds, in UTC whatever the local zone', () => {
    const daily = parseCron('0 3 * * *');
    expect(cronMatches(daily, at('2025-06-30T03:00:00Z'))).toBe(true);
    expect(cronMatches(daily, at('2025-06-30T03:00:59.999Z'))).toBe(true);
    expect(cronMatches(daily, at('2025-06-30T03:01:00Z'))).toBe(false);
    // 05:00 in Paris during summer time is 03:00 UTC: only the UTC reading counts.
    expect(cronMatches(daily, at('2025-06-30T05:00:00+02:00'))).toBe(true);
  });

  it('restricts by day of week', () => {
    const mondays = parseCron('0 4 * * 1');
    expect(cronMatches(mondays, at('2025-06-30T04:00Z'))).toBe(true); // a Monday
    expect(cronMatches(mondays, at('2025-07-01T04:00Z'))).toBe(false);
    expect(cronMatches(parseCron('0 0 * * sat,sun'), at('2025-06-28T00:00Z'))).toBe(true);
  });

  it('ORs day-of-month and day-of-week when both are restricted, ANDs otherwise', () => {
    const either = parseCron('0 0 13 * 5'); // the 13th, or any Friday
    expect(cronMatches(either, at('2025-06-13T00:00Z'))).toBe(true); // Friday the 13th
    expect(cronMatches(either, at('2025-07-13T00:00Z'))).toBe(true); // a Sunday
    expect(cronMatches(either, at('2025-07-04T00:00Z'))).toBe(true); // a Friday
    expect(cronMatches(either, at('2025-07-05T00:00Z'))).toBe(false);
    const firstOfMonth = parseCron('0 0 1 * *');
    expect(cronMatches(firstOfMonth, at('2025-07-01T00:00Z'))).toBe(true);
    expect(cronMatches(firstOfMonth, at('2025-07-02T00:00Z'))).toBe(false);
  });

  it('handles month ends and leap days', () => {
    const the31st = parseCron('0 0 31 * *');
    expect(cronMatches(the31st, at('2025-01-31T00:00Z'))).toBe(true);
    expect(cronMatches(the31st, at('2025-03-03T00:00Z'))).toBe(false); // no Feb 31 rolling over
    const leap = parseCron('0 12 29 2 *');
    expect(cronMatches(leap, at('2024-02-29T12:00Z'))).toBe(true);
  });
});
