import type { ScheduleDefinition } from './schedule-definition.js';
import { ticksBetween } from './ticks-between.js';

export interface DueTick {
  schedule: ScheduleDefinition;
  tick: Date;
}

export interface DueTicks {
  /** To run now, oldest first (ties in the order of the schedules given). */
  run: DueTick[];
  /** Missed ticks beyond the catch-up bound: reported, never run. */
  skipped: DueTick[];
}

/** Default bound: after a long outage only the last 3 missed ticks of each schedule run. */
export const DEFAULT_MAX_CATCH_UP = 3;

/**
 * The ticks each schedule owes at `now`: those in (last tick, now], of which only the newest
 * `maxCatchUp` run and the older ones are skipped. A schedule absent from `lastTickBySchedule`
 * owes nothing (it starts from now). Pure and deterministic.
 */
export function dueTicks(
  schedules: readonly ScheduleDefinition[],
  lastTickBySchedule: ReadonlyMap<string, Date>,
  now: Date,
  maxCatchUp: number = DEFAULT_MAX_CATCH_UP,
): DueTicks {
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) throw new RangeError(`maxCatchUp must be a positive integer, got ${maxCatchUp}`);
  const run: (DueTick & { order: number })[] = [];
  const skipped: (DueTick & { order: number })[] = [];
  schedules.forEach((schedule, order) => {
    const last = lastTickBySchedule.get(schedule.name);
    if (last === undefined) return;
    const missed = ticksBetween(schedule, last, now);
    const cut = Math.max(0, missed.length - maxCatchUp);
    for (const [i, tick] of missed.entries()) (i < cut ? skipped : run).push({ schedule, tick, order });
  });
  const byTime = (a: DueTick & { order: number }, b: DueTick & { order: number }): number =>
    a.tick.getTime() - b.tick.getTime() || a.order - b.order;
  const strip = ({ schedule, tick }: DueTick): DueTick => ({ schedule, tick });
  return { run: run.sort(byTime).map(strip), skipped: skipped.sort(byTime).map(strip) };
}
