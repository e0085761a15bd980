import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../ingestion/sandbox/index.js';
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
    expect(a.stdout + b.stdout).toMatch(/the rawg request budget is spent: 15 of this month's 15 requests used/);
    const budget = await runGmpAsync(['budget', '--json'], { cwd, env: limited });
    const [rawg] = JSON.parse(budget.stdout) as { usage: { month: number }; remaining: number }[];
    expect(rawg!.usage.month).toBe(15);
    expect(rawg!.remaining).toBe(0);
  });

  it('lets a dry run estimate a 30-day backfill within 10% of what the backfill then spends', async () => {
    const cwd = tempDir('gmp-budget-est-');
    const dry = await runGmpAsync(['backfill', '--select', 'rawg/games+', '--from', '2025-05-01', '--to', '2025-05-30', '--dry-run', '--json'], { cwd, env });
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { budget: { estimate: { total: number; probeRequests: number; assets: { basis: string }[] } } };
    expect(plan.budget.estimate.assets[0]!.basis).toBe('probe');
    const estimate = plan.budget.estimate.total;

    const run = await runGmpAsync(['backfill', '--select', 'rawg/games+', '--from', '2025-05-01', '--to', '2025-05-30', '--json'], { cwd, env });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const spent = (JSON.parse(run.stdout) as { run: { requests: number } }).run.requests;
    expect(spent).toBeGreaterThan(60);
    expect(Math.abs(estimate - spent) / spent).toBeLessThanOrEqual(0.1);
  });

  it('refuses a backfill whose estimate exceeds what remains, saying how much it needs', async () => {
    const cwd = tempDir('gmp-budget-refuse-');
    const result = await runGmpAsync(['backfill', '--select', 'rawg/games', '--from', '2025-05-01', '--to', '2025-05-30'], {
      cwd,
      env: { ...env, RAWG_BUDGET_PER_MONTH: '40' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the plan exceeds the request budget: rawg needs ~\d+ requests but 39 remain/);
  });
});
