/** What one tick of a schedule materializes: the same fields as `gmp materialize`. */
export interface ScheduleTarget {
  select: string;
  exclude?: string;
  partition?: string;
  from?: string;
  to?: string;
}

/**
 * A schedule: when (a 5-field cron expression read in UTC) and what (a selection computed from the
 * tick's instant, so the target of a tick is the same whenever it runs, late or on time).
 */
export interface ScheduleDefinition {
  /** `[a-z0-9_]+`: names the runs (`kind: schedule:<name>`) and the tick leases. */
  name: string;
  /** minute hour day-of-month month day-of-week, UTC (no daylight saving time). */
  cron: string;
  description: string;
  /** Pure: the selection and partitions a tick at `tick` materializes. */
  target(tick: Date): ScheduleTarget;
}
