import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { UsageError } from '../errors/index.js';
import {
  addHours,
  assertPartitionInDefinition,
  dailyPartitions,
  hourKeysBetween,
  hourlyPartitions,
  lastCompletePartition,
  partitionKeysInRange,
  partitionKeysOf,
  resolvePartitionKey,
  timeKeysBetween,
  timeWindow,
} from './index.js';

const clock = fixedClock('2026-12-03T10:20:00Z');

describe('hour keys', () => {
  it('step across days, months and leap days', () => {
    expect(addHours('2024-02-28T23', 1)).toBe('2024-02-29T00');
    expect(addHours('2024-12-31T23', 2)).toBe('2025-01-01T01');
    expect(addHours('2025-01-01T00', -1)).toBe('2024-12-31T23');
    expect(hourKeysBetween('2024-12-31T22', '2025-01-01T01')).toEqual(['2024-12-31T22', '2024-12-31T23', '2025-01-01T00', '2025-01-01T01']);
  });

  it('have a one-hour window', () => {
    expect(timeWindow('2026-12-01T05')).toEqual({ start: new Date('2026-12-01T05:00:00Z'), end: new Date('2026-12-01T06:00:00Z') });
    expect(timeWindow('2026-12-01')).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-02T00:00:00Z') });
  });

  it('are accepted where a user types a partition, and bad ones are named', () => {
    expect(resolvePartitionKey('2026-12-01T05', clock.now())).toBe('2026-12-01T05');
    // The previous full UTC hour, for a cron line running every hour.
    expect(resolvePartitionKey('last-hour', new Date('2026-12-03T00:20:00Z'))).toBe('2026-12-02T23');
    expect(() => resolvePartitionKey('2026-12-01T24', clock.now(), '--from')).toThrow(/invalid --from "2026-12-01T24": .*YYYY-MM-DDTHH/);
    expect(() => resolvePartitionKey('2026-12-01T5', clock.now())).toThrow(UsageError);
  });

  it('ranges keep days when both ends are days and become hours otherwise', () => {
    expect(timeKeysBetween('2026-12-01', '2026-12-02')).toEqual(['2026-12-01', '2026-12-02']);
    expect(timeKeysBetween('2026-12-01T22', '2026-12-02')).toHaveLength(2 + 24);
    expect(timeKeysBetween('2026-12-01', '2026-12-01T01')).toEqual(['2026-12-01T00', '2026-12-01T01']);
    expect(() => timeKeysBetween('2026-12-01T05', '2026-12-01T04')).toThrow(/--to 2026-12-01T04 is before --from 2026-12-01T05/);
  });
});

describe('hourly partitions', () => {
  const def = hourlyPartitions('2026-12-01');

  it('start at a day\'s first hour and end at a day\'s last one', () => {
    expect(def).toEqual({ type: 'hourly', start: '2026-12-01T00' });
    expect(hourlyPartitions('2026-12-01T05', '2026-12-02')).toEqual({ type: 'hourly', start: '2026-12-01T05', end: '2026-12-02T23' });
    expect(() => hourlyPartitions('2026-12-01T25')).toThrow(UsageError);
    expect(() => hourlyPartitions('2026-12-02', '2026-12-01')).toThrow(/before their start/);
  });

  it('default to the previous full UTC hour', () => {
    expect(lastCompletePartition(def, clock)).toBe('2026-12-03T09');
    expect(lastCompletePartition(hourlyPartitions('2026-12-01', '2026-12-01T07'), clock)).toBe('2026-12-01T07');
    expect(lastCompletePartition({ type: 'daily' }, clock)).toBe('2026-12-02');
  });

  it('exist up to the current hour, and an error names the range in hours', () => {
    expect(() => assertPartitionInDefinition('events/sessions', def, '2026-12-03T10', clock)).not.toThrow();
    expect(() => assertPartitionInDefinition('events/sessions', def, '2026-12-03T11', clock)).toThrow(
      "partition 2026-12-03T11 is outside events/sessions's hourly partitions (2026-12-01T00..2026-12-03T10, UTC hours)",
    );
    expect(() => assertPartitionInDefinition('events/sessions', def, '2026-11-30T23', clock)).toThrow(/outside/);
    expect(() => assertPartitionInDefinition('events/sessions', def, '2026-12-02', clock)).toThrow(/partitioned by hour: name an hour such as 2026-12-02T05, or the day 2026-12-02 for its 24 hours/);
  });

  it('take a day as its 24 hours, trimmed to the hours that exist', () => {
    expect(partitionKeysOf('e', def, ['2026-12-01'], clock)).toEqual(hourKeysBetween('2026-12-01T00', '2026-12-01T23'));
    expect(partitionKeysOf('e', def, ['2026-12-01T05'], clock)).toEqual(['2026-12-01T05']);
    // Today has hours up to the current one.
    expect(partitionKeysOf('e', def, ['2026-12-03'], clock)).toEqual(hourKeysBetween('2026-12-03T00', '2026-12-03T10'));
    expect(partitionKeysOf('e', hourlyPartitions('2026-12-01T20'), ['2026-12-01'], clock)).toEqual(['2026-12-01T20', '2026-12-01T21', '2026-12-01T22', '2026-12-01T23']);
    expect(() => partitionKeysOf('e', def, ['2026-11-30'], clock)).toThrow(/partition 2026-11-30 is outside e's hourly partitions/);
    expect(partitionKeysInRange('e', def, '2026-12-01', '2026-12-02', clock)).toHaveLength(48);
  });

  it('map onto daily assets as their days', () => {
    const daily = dailyPartitions('2026-11-01');
    expect(partitionKeysOf('d', daily, ['2026-12-01T05', '2026-12-01T06', '2026-12-02T00'], clock)).toEqual(['2026-12-01', '2026-12-02']);
    expect(partitionKeysOf('d', daily, ['2026-12-01', '2026-12-02'], clock)).toEqual(['2026-12-01', '2026-12-02']);
    expect(() => partitionKeysOf('d', daily, ['2026-10-31T23'], clock)).toThrow(/outside d's daily partitions \(2026-11-01\.\.2026-12-03, UTC\)/);
  });
});
