import { cronMatches } from './cron-matches.js';
import type { CronSpec } from './parse-cron.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Every valid expression ticks within 8 years (Feb 29 skips at most one leap year: 2100). */
const HORIZON_DAYS = 366 * 8 + 1;

/**
 * The ticks of `spec` after `after` (exclusive) up to `until` (inclusive, default: the 8-year
 * horizon), ascending. Walks days, not minutes, so a year of a daily schedule is 365 steps.
 */
export function* cronTicks(spec: CronSpec, after: Date, until?: Date): Generator<Date> {
  const start = after.getTime();
  const end = until?.getTime() ?? start + HORIZON_DAYS * DAY_MS;
  const [firstHour = 0] = spec.hours;
  const [firstMinute = 0] = spec.minutes;
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day <= end; day += DAY_MS) {
    // The day fields decide for the whole day, so one probe per day is enough.
    if (!cronMatches(spec, new Date(day + firstHour * 3_600_000 + firstMinute * MINUTE_MS))) continue;
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        const t = day + h * 3_600_000 + m * MINUTE_MS;
        if (t > end) return;
        if (t > start) yield new Date(t);
      }
    }
  }
}
