import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { shellCommands } from '../../scripts/shell-words.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-budget-key-2236';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' };
});

afterAll(async () => {
  await sandbox.close();
});

const gamesRequests = () => sandbox.stats().byPath['/api/games'] ?? 0;

describe('the request budget', () => {
  it('is never exceeded, even by two processes spending it at once', async () => {
    const cwd = tempDir('gmp-budget-');
    const limited = { ...env, RAWG_BUDGET_PER_MONTH: '15' };
    const before = gamesRequests();
    const [a, b] = await Promise.all([
      runGmpAsync(['materialize', '--select', 'rawg/games', '--from', '2025-06-01', '--to', '2025-06-07'], { cwd, env: limited }),
      runGmpAsync(['materialize', '--select', 'rawg/games', '--from', '2025-06-10', '--to', '2025-06-16'], { cwd, env: limited }),
    ]);
    expect(gamesRequests() - before).toBeLessThanOrEqual(15);
    expect([a.status, b.status]).toContain(1);
    expect(a.stderr + b.stderr).toMatch(/the rawg request budget of http:\/\/127\.0\.0\.1:\d+\/api is spent: 15 of this month's 15 requests used/);
    const budget = await runGmpAsync(['budget', '--json'], { cwd, env: limited });
    const [rawg] = JSON.parse(budget.stdout) as { usage: { month: number }; remaining: number }[];
    expect(rawg!.usage.month).toBe(15);
    expect(rawg!.remaining).toBe(0);
  });

  it('estimates Q1 and then all of 2024 within 25% after a busy recent week, and both fit the default budget', async () => {
    const cwd = tempDir('gmp-budget-est-');
    // A week of recent history: hundreds of changed games a day, each costing a detail request.
    const week = await runGmpAsync(['backfill', '--select', 'rawg/games,rawg/game_details', '--from', '2025-06-23', '--to', '2025-06-29'], { cwd, env });
    expect(week.status, week.stderr).toBe(0);
    // The manual's year backfill, as written, plans within the default budget (it once was refused).
    const manual = readFileSync(path.join(packageRoot(), 'USER_MANUAL.md'), 'utf8');
    const backfills = manual.slice(manual.indexOf('## Backfills'), manual.indexOf('### Re-scanning old partitions'));
    const dryRun = backfills.split('\n').flatMap(shellCommands).find((w) => w[0] === 'gmp' && w[1] === 'backfill' && w.includes('--dry-run'))!;
    expect(dryRun.join(' ')).toBe('gmp backfill --select rawg/games+ --from 2024-01-01 --to 2024-12-31 --dry-run');
    const planned = await runGmpAsync(dryRun.slice(1), { cwd, env });
    expect(planned.status, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/^API requests: ~[\d,]+ \(likely [\d,]+–[\d,]+\) to http:\/\/127\.0\.0\.1:\d+\/api; [\d,]+ remain/m);
    expect(planned.stdout).not.toMatch(/OVER BUDGET/);
    for (const [from, to] of [['2024-01-01', '2024-03-31'], ['2024-01-01', '2024-12-31']] as const) {
      const dry = await runGmpAsync(['backfill', '--select', 'rawg/games+', '--from', from, '--to', to, '--dry-run', '--json'], { cwd, env });
      expect(dry.status, dry.stderr).toBe(0);
      const { budget } = JSON.parse(dry.stdout) as { budget: { fits: boolean; estimate: { total: number; low: number; high: number; assets: { asset: string; basis: { basis: string }[] }[] } } };
      expect(budget.fits).toBe(true);
      expect(budget.estimate.assets.find((a) => a.asset === 'rawg/games')!.basis.map((b) => b.basis)).toContain('probe');
      // Counted at the sandbox: what the backfill itself sends, its own budget-gate probes included.
      const before = sandbox.stats().requests;
      // The models do not change what is fetched: the ingestion assets alone keep this test short.
      const run = await runGmpAsync(['backfill', '--select', 'rawg/games,rawg/game_details', '--from', from, '--to', to, '--concurrency', '8'], { cwd, env });
      expect(run.status, run.stderr + run.stdout).toBe(0);
      const spent = sandbox.stats().requests - before;
      expect(spent, `${from}..${to}`).toBeGreaterThan(90);
      expect(Math.abs(budget.estimate.total - spent) / spent, `estimate ${budget.estimate.total} vs spent ${spent}`).toBeLessThanOrEqual(0.25);
      expect(budget.estimate.low).toBeLessThanOrEqual(budget.estimate.total);
      expect(budget.estimate.high).toBeGreaterThanOrEqual(budget.estimate.total);
    }
  }, 300_000);

  it('keeps a ledger per endpoint: a local server never spends the real API’s quota', async () => {
    const cwd = tempDir('gmp-budget-ledger-');
    const run = await runGmpAsync(['materialize', '--select', 'rawg/genres'], { cwd, env });
    expect(run.status, run.stderr).toBe(0);
    const budget = JSON.parse((await runGmpAsync(['budget', '--json'], { cwd, env })).stdout) as { endpoint: string; inUse: boolean; usage: { month: number } }[];
    expect(budget.map((b) => [b.endpoint, b.inUse, b.usage.month])).toEqual([[sandbox.url, true, 1]]);
    const real = JSON.parse((await runGmpAsync(['budget', '--json'], { cwd })).stdout) as { endpoint: string; inUse: boolean; usage: { month: number } }[];
    expect(real.map((b) => [b.endpoint, b.inUse, b.usage.month])).toEqual([['https://api.rawg.io/api', true, 0], [sandbox.url, false, 1]]);
    expect((await runGmpAsync(['budget'], { cwd })).stdout).toMatch(/https:\/\/api\.rawg\.io\/api \*\s+0/);
  });

  it('refuses a backfill whose estimate exceeds what remains, saying how much it needs', async () => {
    const cwd = tempDir('gmp-budget-refuse-');
    const result = await runGmpAsync(['backfill', '--select', 'rawg/games', '--from', '2025-05-01', '--to', '2025-05-30'], {
      cwd,
      env: { ...env, RAWG_BUDGET_PER_MONTH: '40' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the plan exceeds the request budget: rawg \(http:\/\/127\.0\.0\.1:\d+\/api\) needs ~\d+ requests but 39 remain/);
  });
});
