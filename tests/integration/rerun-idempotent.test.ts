import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'rerun-key-5150';
let sandbox: Sandbox;
let ws: Workspace;

/** Every mart, every row, every value, in a stable order. */
async function martsContent(): Promise<Record<string, string>> {
  const tables = await queryWarehouse(ws, "select table_name from information_schema.tables where table_schema = 'marts' order by 1");
  const out: Record<string, string> = {};
  for (const { table_name } of tables) out[String(table_name)] = JSON.stringify(await queryWarehouse(ws, `select * from marts.${String(table_name)} order by all`));
  return out;
}

beforeAll(async () => {
  sandbox = await startSandbox({ asOf: '2025-06-30', apiKey: KEY, games: 4000 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  const first = await materialize(ws, { select: '*', from: '2025-06-26', to: '2025-06-28' });
  expect(first.steps.filter((s) => s.status !== 'succeeded').map((s) => `${s.step.asset}: ${s.error?.message}`)).toEqual([]);
});

afterAll(async () => {
  await sandbox.close();
  clearSecrets();
});

describe('re-running a partition', () => {
  it('leaves every mart byte-for-byte equal, and fetches no game detail again', async () => {
    const before = await martsContent();
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(19);
    expect(JSON.parse(before.bridge_game_developers!).length).toBeGreaterThan(0);
    const detailRequests = () => Object.entries(sandbox.stats().byPath).filter(([p]) => /^\/api\/games\/\d+$/.test(p)).reduce((n, [, c]) => n + c, 0);
    const fetchedBefore = detailRequests();

    for (const day of ['2025-06-27', '2025-06-26']) {
      const again = await materialize(ws, { select: 'rawg/games+', partition: day });
      expect(again.steps.filter((s) => s.status !== 'succeeded').map((s) => `${s.step.asset}: ${s.error?.message}`)).toEqual([]);
      expect(again.steps.find((s) => s.step.asset === 'rawg/game_details')?.result?.requests).toBe(0);
      expect(await martsContent()).toEqual(before);
    }
    expect(detailRequests()).toBe(fetchedBefore);
  });
});
