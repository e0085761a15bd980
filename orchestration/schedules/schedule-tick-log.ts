import type { StateStore } from '../state/index.js';
import type { ScheduleDefinition } from './schedule-definition.js';

/**
 * Where a schedule's progress lives, using only the state store's existing tables (no schema of
 * its own):
 * - each tick is an ordinary run with `kind: schedule:<name>`, so `gmp runs` shows it;
 * - once a tick is done (its run succeeded or failed, not canceled) a `LOG` event
 *   `{ schedule, tick }` is appended to that run. The run's start time cannot stand for the tick:
 *   a caught-up tick starts hours after its time, and weekly ticks have no partition to derive it.
 * A tick whose run was canceled or killed has no event, so a restarted daemon runs it again.
 * Concurrent daemons are kept apart by a lease per tick (see runTick), not by this log.
 */
export interface ScheduleTickLog {
  /** The latest done tick of each schedule that has one. */
  lastTicks(schedules: readonly ScheduleDefinition[]): Promise<Map<string, Date>>;
  /** Marks `tick` done by run `runId`. */
  record(runId: string, schedule: string, tick: Date, at: Date): Promise<void>;
}

/** Runs scanned for schedule runs: ~a year of daily ticks plus other runs; older history does not matter. */
const RUNS_SCANNED = 1000;
/** Finished runs per schedule whose events are read: catch-up order makes the newest the latest tick, a few more absorb races. */
const RUNS_READ_PER_SCHEDULE = 3;
const TICK_MESSAGE = 'schedule tick done';

/** The tick log over `state` (left open). */
export function createScheduleTickLog(state: StateStore): ScheduleTickLog {
  return {
    async lastTicks(schedules) {
      const names = new Set(schedules.map((s) => s.name));
      const runs = await state.listRuns({ limit: RUNS_SCANNED });
      const last = new Map<string, Date>();
      const read = new Map<string, number>();
      for (const run of runs) {
        const name = run.kind.startsWith('schedule:') ? run.kind.slice('schedule:'.length) : undefined;
        if (name === undefined || !names.has(name) || run.status === 'running' || run.status === 'canceled') continue;
        if ((read.get(name) ?? 0) >= RUNS_READ_PER_SCHEDULE) continue;
        const event = (await state.listEvents(run.runId)).find((e) => e.type === 'LOG' && e.message === TICK_MESSAGE && e.data?.schedule === name);
        const tick = typeof event?.data?.tick === 'string' ? new Date(event.data.tick) : undefined;
        if (tick === undefined || Number.isNaN(tick.getTime())) continue;
        read.set(name, (read.get(name) ?? 0) + 1);
        if (tick > (last.get(name) ?? new Date(0))) last.set(name, tick);
      }
      return last;
    },
    async record(runId, schedule, tick, at) {
      await state.appendEvent({
        runId,
        ts: at.toISOString(),
        type: 'LOG',
        asset: null,
        partition: null,
        message: TICK_MESSAGE,
        data: { schedule, tick: tick.toISOString() },
      });
    },
  };
}
