import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/index.js';
import { testWorkspace } from '../tests/helpers/workspace.js';
import { prepareRun } from './materialize.js';

// Planning only: nothing is fetched, so the base URL is never contacted.
const ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9/api', key: 'plan-only-key', now: '2026-03-02T01:00:00Z' });

describe('the days a run is asked for', () => {
  it("runs yesterday's and today's partitions by name, in UTC (what a daily scheduler passes)", () => {
    expect(prepareRun(ws, { select: 'rawg/games', partition: 'yesterday' }).partitions).toEqual(['2026-03-01']);
    expect(prepareRun(ws, { select: 'rawg/games', partition: 'today' }).partitions).toEqual(['2026-03-02']);
    expect(prepareRun(ws, { select: 'rawg/games', from: '2026-02-27', to: 'yesterday' }).partitions).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('rejects anything else with the spellings it accepts', () => {
    expect(() => prepareRun(ws, { select: 'rawg/games', partition: 'tomorrow' })).toThrow(UsageError);
    expect(() => prepareRun(ws, { select: 'rawg/games', partition: 'tomorrow' })).toThrow(/YYYY-MM-DD, e\.g\. 2024-05-01, or 'today' \/ 'yesterday'/);
  });
});
