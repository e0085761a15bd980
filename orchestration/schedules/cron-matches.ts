import type { CronSpec } from './parse-cron.js';

/** True when the UTC minute of `instant` is a tick of `spec` (seconds are ignored). */
export function cronMatches(spec: CronSpec, instant: Date): boolean {
  if (!spec.minutes.includes(instant.getUTCMinutes()) || !spec.hours.includes(instant.getUTCHours())) return false;
  if (!spec.months.includes(instant.getUTCMonth() + 1)) return false;
  const dom = spec.daysOfMonth.includes(instant.getUTCDate());
  const dow = spec.daysOfWeek.includes(instant.getUTCDay());
  return spec.dayOr ? dom || dow : dom && dow;
}
