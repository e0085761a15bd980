import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_COST_HELP } from '../../cli/index.js';
import { RAWG_ENDPOINTS } from '../../ingestion/index.js';
import { DEMO_DAYS, DEMO_PLAYERS } from '../../app/index.js';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

interface DemoJson {
  synthetic: boolean;
  run: { runId: string; status: string; steps: { status: string }[]; digest: { stepCount: number } };
  tables: { relation: string; rows: number }[];
  players?: { players: number; written: boolean; simulation: string };
}
interface BudgetJson {
  source: string;
  endpoint: string;
  inUse: boolean;
  usage: { day: number; month: number };
}

const formatted = (n: number) => n.toLocaleString('en-US');

describe('gmp demo on a fresh folder', () => {
  it('runs with no configuration, says the data is synthetic first, fits a screen, and a second run gives the same mart counts', async () => {
    const cwd = tempDir('gmp-demo-');
    const first = runGmp(['demo'], { cwd });
    expect(first.status, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^⚠ +SYNTHETIC DATA/);
    expect(lines.length).toBeLessThanOrEqual(60);
    expect(first.stdout).toMatch(/run \S+ succeeded in [^:]+: [\d,]+ steps, [\d,]+ API requests/);
    // Checks are one line per outcome, not a line per check.
    expect(first.stdout).toMatch(/^\d+ checks: \d+ passed$/m);
    expect(first.stdout).not.toMatch(/^checks\//m);
    // Its simulated players are said to be synthetic too.
    expect(first.stdout).toMatch(new RegExp(`^Players: SYNTHETIC\\. ${DEMO_PLAYERS} simulated players over \\S+: [\\d,]+ events`, 'm'));
    // It ends by saying how to open the web UI.
    expect(lines.at(-1)).toMatch(/gmp serve .*http:\/\/127\.0\.0\.1:3000/);

    const second = runGmp(['demo', '--json'], { cwd });
    expect(second.status, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout) as DemoJson;
    expect(result.synthetic).toBe(true);
    // The second demo keeps the first one's simulated week rather than add a second population.
    expect(result.players).toMatchObject({ players: DEMO_PLAYERS, written: false, simulation: expect.stringMatching(/^sim-demo-/) });
    expect(result.run.steps.every((s) => s.status === 'succeeded')).toBe(true);
    // Every mart's rows are shown; re-running gives the same counts.
    for (const t of result.tables) {
      expect(first.stdout, t.relation).toMatch(new RegExp(`\\b${t.relation.replace('marts.', '')} ${formatted(t.rows)}\\b`));
    }
    expect(result.tables.find((t) => t.relation === 'marts.dim_games')!.rows).toBeGreaterThan(700);

    // One committed run per partition: a re-run replaced the lake partitions, it did not add to them.
    const games = path.join(cwd, '.gmp', 'lake', 'raw', 'rawg', 'games');
    for (const dt of readdirSync(games)) {
      expect(readdirSync(path.join(games, dt)).filter((f) => f.startsWith('run=')), dt).toHaveLength(1);
    }
    const query = runGmp(['query', 'select count(*) as n, count(distinct game_id) as ids from marts.dim_games', '--json'], { cwd });
    const [row] = JSON.parse(query.stdout) as { n: number; ids: number }[];
    expect(row!.n).toBe(row!.ids);
    // The players play the games the marts hold (every event of the lake, compacted days included, is in raw.events).
    const [playedGames] = JSON.parse(
      runGmp(['query', 'select count(distinct game_id) as played, count(distinct game_id) filter (where game_id in (select game_id from marts.dim_games)) as known from staging.stg_events', '--json'], { cwd }).stdout,
    ) as { played: number; known: number }[];
    expect(playedGames!.played).toBeGreaterThan(50);
    expect(playedGames!.known).toBe(playedGames!.played);
    const [lake] = JSON.parse(runGmp(['query', 'select count(*) as committed, count(distinct event_id) as ids from raw.events', '--json'], { cwd }).stdout) as { committed: number; ids: number }[];
    expect(lake!.committed).toBe(lake!.ids);

    // The step count the demo prints is what `gmp runs` shows for the same run.
    const runs = JSON.parse(runGmp(['runs', '--json'], { cwd }).stdout) as { runId: string; steps: unknown[] }[];
    expect(runs.length).toBe(2);
    const firstRun = runs[1]!;
    expect(first.stdout).toContain(`run ${firstRun.runId} succeeded`);
    expect(first.stdout).toMatch(new RegExp(`: ${formatted(firstRun.steps.length)} steps,`));
    expect(runs[0]!.steps.length).toBe(result.run.digest.stepCount);
    const table = runGmp(['runs'], { cwd }).stdout;
    expect(table).toMatch(new RegExp(`${firstRun.runId} .* ${firstRun.steps.length}/${firstRun.steps.length} `));

    // Both demos were charged to the sandbox's ledger; the real API's is untouched.
    const budget = JSON.parse(runGmp(['budget', '--json'], { cwd }).stdout) as BudgetJson[];
    const real = budget.find((b) => b.endpoint === 'https://api.rawg.io/api')!;
    expect(real).toMatchObject({ inUse: true, usage: { day: 0, month: 0 } });
    const sandbox = budget.find((b) => b.endpoint === 'sandbox')!;
    expect(sandbox.inUse).toBe(false);
    expect(sandbox.usage.month).toBeGreaterThan(1000);
  });

  it('states its cost from its plan in --help, and its --dry-run estimates without executing', () => {
    const cwd = tempDir('gmp-demo-help-');
    const help = runGmp(['demo', '--help'], { cwd });
    expect(help.stdout).toMatch(/requests are charged to the sandbox's own ledger, never to a RAWG quota/);
    expect(help.stdout).toMatch(/rawg\/game_details: 1 request per game changed/);
    expect(help.stdout).not.toMatch(/about 100 requests/);
    // Its figures are the plan's: the snapshot endpoints, the capped ones, the days.
    const snapshots = RAWG_ENDPOINTS.filter((e) => e.partition.type === 'snapshot');
    const capped = snapshots.filter((e) => e.paginator.maxPages === 'config').map((e) => e.entity);
    expect(DEMO_COST_HELP).toContain(`${snapshots.length} taxonomy snapshots: ${snapshots.length - capped.length} small lists`);
    expect(DEMO_COST_HELP).toContain(`${capped.slice(0, -1).join(', ')} and ${capped.at(-1)}\n    capped at RAWG_SNAPSHOT_MAX_PAGES`);
    expect(DEMO_COST_HELP).toContain(`${DEMO_DAYS} days of rawg/games`);
    const dry = runGmp(['demo', '--dry-run', '--json'], { cwd });
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { synthetic: boolean; plan: { budget: { estimate: { total: number; assets: { asset: string }[] } } } };
    expect(plan.synthetic).toBe(true);
    expect(plan.plan.budget.estimate.assets.map((a) => a.asset)).toContain('rawg/game_details');
    expect(plan.plan.budget.estimate.total).toBeGreaterThan(1000);
    expect(runGmp(['runs', '--json'], { cwd }).stdout.trim()).toBe('[]');
  });
});
