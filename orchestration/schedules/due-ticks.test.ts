import { describe, expect, it } from 'vitest';
import { catchUpBaselines, FRESH_START_WINDOW_MS } from './catch-up-baselines.js';
import { DEFAULT_SCHEDULES } from './default-schedules.js';
import { dueTicks, type DueTicks } from './due-ticks.js';
import type { ScheduleDefinition } from './schedule-definition.js';

const at = (s: string): Date => new Date(s);
const [daily, weekly] = DEFAULT_SCHEDULES as [ScheduleDefinition, ScheduleDefinition];
const show = (d: DueTicks) => ({
  run: d.run.map((t) => `${t.schedule.name}@${t.tick.toISOString()}`),
  skipped: d.skipped.map((t) => `${t.schedule.name}@${t.tick.toISOString()}`),
});

describe('dueTicks', () => {
  it('runs every missed tick up to the bound, oldest first across schedules', () => {
    const last = new Map([
      ['daily_games', at('2025-06-28T03:00Z')],
      ['weekly_taxonomy', at('2025-06-23T04:00Z')],
    ]);
    expect(show(dueTicks(DEFAULT_SCHEDULES, last, at('2025-06-30T05:00Z')))).toEqual({
      run: ['daily_games@2025-06-29T03:00:00.000Z', 'daily_games@2025-06-30T03:00:00.000Z', 'weekly_taxonomy@2025-06-30T04:00:00.000Z'],
      skipped: [],
    });
  });

  it('runs only the newest maxCatchUp ticks per schedule and reports the older ones as skipped', () => {
    const last = new Map([['daily_games', at('2025-06-20T03:00Z')]]);
    const due = show(dueTicks([daily], last, at('2025-06-30T03:05Z')));
    expect(due.run).toEqual(['daily_games@2025-06-28T03:00:00.000Z', 'daily_games@2025-06-29T03:00:00.000Z', 'daily_games@2025-06-30T03:00:00.000Z']);
    expect(due.skipped).toHaveLength(7);
    expect(due.skipped[0]).toBe('daily_games@2025-06-21T03:00:00.000Z');
    expect(show(dueTicks([daily], last, at('2025-06-30T03:05Z'), 1)).run).toEqual(['daily_games@2025-06-30T03:00:00.000Z']);
    expect(() => dueTicks([daily], last, at('2025-06-30T03:05Z'), 0)).toThrow(RangeError);
  });

  it('owes nothing for a tick already done, before its time, or for a schedule with no baseline', () => {
    expect(dueTicks([daily], new Map([['daily_games', at('2025-06-30T03:00Z')]]), at('2025-06-30T23:59Z')).run).toEqual([]);
    expect(dueTicks([daily], new Map([['daily_games', at('2025-06-29T03:00Z')]]), at('2025-06-30T02:59:59.999Z')).run).toEqual([]);
    expect(dueTicks([daily, weekly], new Map(), at('2025-06-30T03:05Z'))).toEqual({ run: [], skipped: [] });
  });

  it('is deterministic: same inputs, same answer, whatever the order of the map', () => {
    const a = new Map([['daily_games', at('2025-06-01T03:00Z')], ['weekly_taxonomy', at('2025-06-01T04:00Z')]]);
    const b = new Map([...a].reverse());
    expect(show(dueTicks(DEFAULT_SCHEDULES, a, at('2025-06-30T05:00Z'), 5))).toEqual(show(dueTicks(DEFAULT_SCHEDULES, b, at('2025-06-30T05:00Z'), 5)));
  });
});

describe('catchUpBaselines', () => {
  const now = at('2025-06-30T03:05Z');

  it('starts a fresh state from now minus the fresh-start window: the 03:00 tick runs, no history', () => {
    const base = catchUpBaselines(DEFAULT_SCHEDULES, new Map(), now);
    expect(base.get('daily_games')).toEqual(new Date(now.getTime() - FRESH_START_WINDOW_MS));
    expect(show(dueTicks(DEFAULT_SCHEDULES, base, now)).run).toEqual(['daily_games@2025-06-30T03:00:00.000Z']);
    expect(show(dueTicks(DEFAULT_SCHEDULES, catchUpBaselines(DEFAULT_SCHEDULES, new Map(), at('2025-06-30T04:30Z')), at('2025-06-30T04:30Z'))).run).toEqual([
      'weekly_taxonomy@2025-06-30T04:00:00.000Z',
    ]);
  });

  it('lets a never-run schedule catch up from the oldest last tick of the others', () => {
    const base = catchUpBaselines(DEFAULT_SCHEDULES, new Map([['daily_games', at('2025-06-29T03:00Z')]]), at('2025-07-01T10:00Z'));
    expect(base.get('weekly_taxonomy')).toEqual(at('2025-06-29T03:00Z'));
    expect(base.get('weekly_models')).toEqual(at('2025-06-29T03:00Z'));
    expect(show(dueTicks(DEFAULT_SCHEDULES, base, at('2025-07-01T10:00Z'))).run).toEqual([
      'daily_games@2025-06-30T03:00:00.000Z',
      'weekly_taxonomy@2025-06-30T04:00:00.000Z',
      'weekly_models@2025-06-30T05:00:00.000Z',
      'daily_games@2025-07-01T03:00:00.000Z',
    ]);
  });
});
