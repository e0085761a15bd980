import { cronTicks } from './cron-ticks.js';
import { parseCron } from './parse-cron.js';
import type { ScheduleDefinition } from './schedule-definition.js';

/** The schedule's first tick strictly after `after`, or null if it never ticks (e.g. Feb 30). Pure. */
export function nextTick(schedule: Pick<ScheduleDefinition, 'cron'>, after: Date): Date | null {
  for (const tick of cronTicks(parseCron(schedule.cron), after)) return tick;
  return null;
}
