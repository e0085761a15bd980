import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { listCommittedPartitions, createObjectStore } from '../../lake/index.js';
import { materialize, type Workspace } from '../../app/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { count, testWorkspace } from '../helpers/workspace.js';

const KEY = 'itest-storm-key-5e03';
const DAY = '2025-06-28';

let sandbox: Sandbox;
let ws: Workspace;

beforeAll(async () => {
  sandbox = await startSandbox({ asOf: '2025-06-30', apiKey: KEY, games: 2000 });
  // The client's own retries: 5 (the default), backed off 10..100 ms (testWorkspace).
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
});

afterAll(async () => {
  await sandbox.close();
  clearSecrets();
});

const committedRun = async (): Promise<string | undefined> =>
  (await listCommittedPartitions(await createObjectStore(ws.config.lake), 'rawg', 'games')).find((m) => m.dt === DAY)?.run_id;

describe('a 5xx storm that outlasts the HTTP client retries', () => {
  it('fails the ingestion step once, clearly, without a step retry, and loses nothing committed', async () => {
    const first = await materialize(ws, { select: 'rawg/games+', exclude: 'rawg/game_details', partition: DAY });
    expect(first.status).toBe('succeeded');
    const committed = await committedRun();
    const rows = await count(ws, `select * from marts.fct_game_daily_snapshot where dt = '${DAY}'`);
    expect(rows).toBe(sandbox.catalogue.countUpdatedOn(DAY));

    sandbox.faults.push({ type: 'status', status: 503, times: 1_000_000, path: '/games' });
    const before = sandbox.stats().byPath['/api/games'] ?? 0;
    try {
      const stormy = await materialize(ws, { select: 'rawg/games+', exclude: 'rawg/game_details', partition: DAY });
      expect(stormy.status).toBe('failed');
      const games = stormy.steps.find((s) => s.step.asset === 'rawg/games')!;
      expect(games.status).toBe('failed');
      expect(games.error?.message).toMatch(/^rawg\/games \[2025-06-28\]: .* answered 503: /);
      // The first page, tried 1 + 5 times by the client; no RetryPolicy runs the step again.
      expect((sandbox.stats().byPath['/api/games'] ?? 0) - before).toBe(6);
      const status = (id: string) => stormy.steps.find((s) => s.step.id === id)?.status;
      expect([status(`staging/stg_rawg__games_daily[${DAY}]`), status(`marts/fct_game_daily_snapshot[${DAY}]`)]).toEqual(['skipped', 'skipped']);
    } finally {
      sandbox.faults.clear();
    }
    // The previous commit is still the partition, and the mart still reads it.
    expect(await committedRun()).toBe(committed);
    expect(await count(ws, `select * from marts.fct_game_daily_snapshot where dt = '${DAY}'`)).toBe(rows);
  });
});
