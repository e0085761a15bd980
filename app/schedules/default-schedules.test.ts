import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../workspace.js';
import { DEFAULT_SCHEDULES, type ScheduleDefinition, selectAssets, validateSchedules } from '../../orchestration/index.js';

const [daily, weekly] = DEFAULT_SCHEDULES as [ScheduleDefinition, ScheduleDefinition];
const ws = openWorkspace({ env: {}, cwd: '/nonexistent-gmp-home' });

describe('DEFAULT_SCHEDULES', () => {
  it("daily_games takes the UTC day before its tick, also when the tick runs late or crosses a month", () => {
    expect(daily.target(new Date('2025-06-30T03:00Z'))).toEqual({ select: 'rawg/games+', exclude: 'tag:training', partition: '2025-06-29' });
    expect(daily.target(new Date('2025-03-01T03:00Z')).partition).toBe('2025-02-28');
    expect(daily.target(new Date('2024-03-01T03:00Z')).partition).toBe('2024-02-29');
    expect(daily.target(new Date('2025-01-01T03:00Z')).partition).toBe('2024-12-31');
  });

  it('weekly_taxonomy selects the snapshot assets only, nothing downstream', () => {
    const t = weekly.target(new Date('2025-06-30T04:00Z'));
    const assets = selectAssets(ws.graph, t.select, t.exclude);
    expect(assets.sort()).toEqual([
      'rawg/creator_roles', 'rawg/developers', 'rawg/genres', 'rawg/parent_platforms', 'rawg/platforms', 'rawg/publishers', 'rawg/stores', 'rawg/tags',
    ]);
  });

  it('daily_games scores with the production models but leaves training to weekly_models, which scores after it trains', () => {
    const models = DEFAULT_SCHEDULES.find((s) => s.name === 'weekly_models')!;
    const dailyTarget = daily.target(new Date('2025-06-30T03:00Z'));
    const dailyAssets = selectAssets(ws.graph, dailyTarget.select, dailyTarget.exclude);
    expect(dailyAssets).toContain('ml/game_predictions');
    expect(dailyAssets).toContain('marts/fct_game_predictions');
    expect(dailyAssets.filter((a) => a.startsWith('ml/game_') && a.endsWith('_model'))).toEqual([]);
    const t = models.target(new Date('2025-06-30T05:00Z'));
    expect(selectAssets(ws.graph, t.select, t.exclude).filter((a) => !a.startsWith('checks/')).sort()).toEqual([
      'marts/fct_game_predictions', 'ml/game_popularity_model', 'ml/game_predictions', 'ml/game_rating_model',
    ]);
  });

  it('are valid against the pipeline graph', () => {
    expect(() => validateSchedules(DEFAULT_SCHEDULES, ws.graph, new Date('2025-06-30T00:00Z'))).not.toThrow();
  });

  it('validation lists every problem at once', () => {
    const bad: ScheduleDefinition[] = [
      { ...daily, name: 'Daily Games' },
      { ...daily, cron: '0 25 * * *' },
      { ...weekly, name: 'daily_games', target: () => ({ select: 'rawg/nope' }) },
    ];
    expect(() => validateSchedules(bad, ws.graph, new Date('2025-06-30T00:00Z'))).toThrow(
      /the name must match[\s\S]*25 is outside 0-23[\s\S]*defined twice[\s\S]*no asset matches "rawg\/nope"/,
    );
  });
});
