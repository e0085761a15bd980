import type { ScheduleDefinition } from './schedule-definition.js';

/** How late a daemon on a fresh state may still run the latest tick (a cron job's `--once` at 03:05 runs the 03:00 tick). */
export const FRESH_START_WINDOW_MS = 60 * 60 * 1000;

/**
 * The instant each schedule catches up from: its recorded last tick; for a schedule never run,
 * the oldest last tick of the others (the daemon was already deployed then, so a missed first
 * tick still counts); on a fresh state `now - freshWindowMs`, so a new daemon never backfills
 * history. Pure.
 */
export function catchUpBaselines(
  schedules: readonly ScheduleDefinition[],
  recorded: ReadonlyMap<string, Date>,
  now: Date,
  freshWindowMs: number = FRESH_START_WINDOW_MS,
): Map<string, Date> {
  const known = schedules.map((s) => recorded.get(s.name)).filter((d): d is Date => d !== undefined);
  const fallback = known.length > 0 ? new Date(Math.min(...known.map((d) => d.getTime()))) : new Date(now.getTime() - freshWindowMs);
  return new Map(schedules.map((s) => [s.name, recorded.get(s.name) ?? fallback]));
}
