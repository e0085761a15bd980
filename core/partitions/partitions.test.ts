import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { UsageError } from '../errors/index.js';
import {
  addDays,
  assertPartitionInDefinition,
  dailyPartitions,
  isPartitionKey,
  lastCompletePartition,
  partitionKeysBetween,
  parsePartitionKey,
  resolvePartitionKey,
} from './index.js';

describe('partition keys', () => {
  it.each(['2024-13-45', '../x', '2024-02-30', '2024-5-1', '', '2024-05-01T00:00:00Z'])('rejects %j', (text) => {
    expect(isPartitionKey(text)).toBe(false);
    expect(() => parsePartitionKey(text)).toThrow(UsageError);
    expect(() => parsePartitionKey(text)).toThrow(/expected a UTC day written YYYY-MM-DD/);
  });

  it('accepts real days, leap days included', () => {
    expect(parsePartitionKey('2024-02-29')).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(partitionKeysBetween('2024-12-30', '2025-01-02')).toEqual(['2024-12-30', '2024-12-31', '2025-01-01', '2025-01-02']);
  });

  it('resolves today and yesterday in UTC, and says so when a day is wrong', () => {
    const lateEvening = new Date('2026-03-01T23:30:00-05:00'); // already 2 March in UTC
    expect(resolvePartitionKey('yesterday', lateEvening)).toBe('2026-03-01');
    expect(resolvePartitionKey('Today', lateEvening)).toBe('2026-03-02');
    expect(resolvePartitionKey('2024-02-29', lateEvening)).toBe('2024-02-29');
    expect(() => resolvePartitionKey('tomorrow', lateEvening, '--from')).toThrow(/invalid --from "tomorrow": .*, or 'today' \/ 'yesterday'/);
  });

  it('bounds daily partitions by start and today', () => {
    const clock = fixedClock('2026-11-21T10:00:00Z');
    const def = dailyPartitions('2015-01-01');
    expect(() => assertPartitionInDefinition('rawg/games', def, '2014-12-31', clock)).toThrow(/outside rawg\/games's daily partitions \(2015-01-01\.\.2026-11-21/);
    expect(() => assertPartitionInDefinition('rawg/games', def, '2026-11-22', clock)).toThrow(UsageError);
    expect(() => assertPartitionInDefinition('rawg/games', def, '2026-11-21', clock)).not.toThrow();
    expect(lastCompletePartition({ type: 'daily' }, clock)).toBe('2026-11-20');
  });
});
