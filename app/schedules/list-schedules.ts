import type { Clock } from '../../core/index.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { createScheduleTickLog, DEFAULT_SCHEDULES, nextTick, type ScheduleDefinition, type ScheduleTarget } from '../../orchestration/index.js';

export interface ScheduleSummary {
  schedule: string;
  cron: string;
  description: string;
  /** ISO instant (UTC), or null for an expression that never ticks. */
  nextTick: string | null;
  /** What the next tick materializes. */
  nextTarget: ScheduleTarget | null;
  /** The last tick recorded done in the state store, if any. */
  lastTick: string | null;
}

/** The schedules with their next tick after the clock's now and their last recorded tick. Creates no state. */
export async function listSchedules(ws: Workspace, options: { clock?: Clock; schedules?: readonly ScheduleDefinition[] } = {}): Promise<ScheduleSummary[]> {
  const now = (options.clock ?? ws.clock).now();
  const schedules = options.schedules ?? DEFAULT_SCHEDULES;
  let last = new Map<string, Date>();
  if (stateExists(ws)) {
    const state = await openStateStore(ws);
    try {
      last = await createScheduleTickLog(state).lastTicks(schedules);
    } finally {
      await state.close();
    }
  }
  return schedules.map((s) => {
    const next = nextTick(s, now);
    return {
      schedule: s.name,
      cron: s.cron,
      description: s.description,
      nextTick: next?.toISOString() ?? null,
      nextTarget: next ? s.target(next) : null,
      lastTick: last.get(s.name)?.toISOString() ?? null,
    };
  });
}
