import { cronTicks } from './cron-ticks.js';
import { parseCron } from './parse-cron.js';
import type { ScheduleDefinition } from './schedule-definition.js';

/** The schedule's ticks in (after, until], ascending. Pure. */
export function ticksBetween(schedule: Pick<ScheduleDefinition, 'cron'>, after: Date, until: Date): Date[] {
  if (until.getTime() <= after.getTime()) return [];
  return [...cronTicks(parseCron(schedule.cron), after, until)];
}
