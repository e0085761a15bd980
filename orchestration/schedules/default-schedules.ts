import { partitionBeforeTick } from './partition-before-tick.js';
import type { ScheduleDefinition } from './schedule-definition.js';

/**
 * This platform's schedules. Today's partition is still filling, so the daily tick takes the UTC
 * day before the tick (an hourly one would take the hour before: `partitionBeforeTick`); a late
 * (caught-up) tick still takes the day before ITS time.
 */
export const DEFAULT_SCHEDULES: readonly ScheduleDefinition[] = [
  {
    name: 'daily_games',
    cron: '0 3 * * *',
    // Models are retrained weekly (weekly_models); the daily run scores every game with the production ones.
    description: "yesterday's rawg/games partition and everything downstream but model training, every day at 03:00 UTC",
    target: (tick) => ({ select: 'rawg/games+', exclude: 'tag:training', partition: partitionBeforeTick(tick, 'daily') }),
  },
  {
    name: 'weekly_taxonomy',
    cron: '0 4 * * 1',
    // Downstream models are rebuilt by the next daily tick (they all read stg_rawg__games too).
    description: 'the taxonomy snapshots (genres, platforms, stores, tags, developers, …), Mondays at 04:00 UTC',
    target: () => ({ select: 'tag:snapshot' }),
  },
  {
    name: 'weekly_models',
    cron: '0 5 * * 1',
    description: 'trains the prediction models (a promotion only when better), then scores every game, Mondays at 05:00 UTC',
    target: () => ({ select: 'tag:training+' }),
  },
];
