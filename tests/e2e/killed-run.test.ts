import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { runGmpAsync, spawnGmp } from '../helpers/run-gmp.js';
import { waitForFile } from '../helpers/wait-for-file.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-kill-key-31415';
const DAY = '2025-06-29';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  // A big day (~6k games, 150+ pages) so the killed run has put a part file (5,000 records) before it dies.
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', games: 2000, burst: { day: DAY, count: 6_000 } });
  cwd = tempDir('gmp-kill-');
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' };
});

afterAll(async () => {
  await sandbox.close();
});

const partitionDir = () => path.join(cwd, '.gmp', 'lake', 'raw', 'rawg', 'games', `dt=${DAY}`);
const committedRun = () => JSON.parse(readFileSync(path.join(partitionDir(), '_manifest.json'), 'utf8')).run_id as string;
const rawCount = async () => {
  const r = await runGmpAsync(['query', `select count(*) as n from raw.rawg_games where dt = '${DAY}'`, '--json'], { cwd, env });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { n: number }[])[0]!.n;
};

describe('a run killed with SIGKILL mid-partition', () => {
  it('leaves the previous committed partition readable, and a re-run completes it', async () => {
    const first = await runGmpAsync(['materialize', '--select', 'rawg/games+', '--exclude', 'rawg/game_details', '--partition', DAY], { cwd, env });
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const expected = sandbox.catalogue.countUpdatedOn(DAY);
    expect(await rawCount()).toBe(expected);
    const committed = committedRun();

    sandbox.faults.setLatency(5);
    // (Game details are left out: 6,000 detail requests would only slow down what this test is about.)
    const child = spawnGmp(['materialize', '--select', 'rawg/games+', '--exclude', 'rawg/game_details', '--partition', DAY], { cwd, env });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Wait until the new run has put at least one data file, then kill it without warning.
    const newParts = () =>
      readdirSync(partitionDir())
        .filter((d) => d.startsWith('run=') && d !== `run=${committed}`)
        .flatMap((d) => readdirSync(path.join(partitionDir(), d)).filter((f) => f.startsWith('part-')));
    const gone = new Promise<never>((_, reject) => child.once('exit', () => reject(new Error(`the second run ended before it wrote a part file: ${child.output()}`))));
    await Promise.race([waitForFile(partitionDir(), () => (newParts().length > 0 ? true : undefined), 'the second run wrote a part file'), gone]);
    child.kill('SIGKILL');
    await exited;
    sandbox.faults.setLatency(0);

    expect(child.signalCode).toBe('SIGKILL');
    expect(newParts().length).toBeGreaterThan(0);
    expect(committedRun()).toBe(committed);
    expect(await rawCount()).toBe(expected);
    const marts = await runGmpAsync(['query', `select count(*) as n from marts.fct_game_daily_snapshot where dt = '${DAY}'`, '--json'], { cwd, env });
    expect((JSON.parse(marts.stdout) as { n: number }[])[0]!.n).toBe(expected);
    // `gmp runs` no longer shows the killed run as running forever.
    const runs = JSON.parse((await runGmpAsync(['runs', '--json'], { cwd, env })).stdout) as { status: string }[];
    expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);

    const rerun = await runGmpAsync(['materialize', '--select', 'rawg/games+', '--exclude', 'rawg/game_details', '--partition', DAY], { cwd, env });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(committedRun()).not.toBe(committed);
    expect(await rawCount()).toBe(expected);
    expect(existsSync(path.join(partitionDir(), `run=${committed}`))).toBe(false);
    for (const output of [first.stdout, first.stderr, rerun.stdout, rerun.stderr, child.output()]) expect(output).not.toContain(KEY);
  }, 150_000);

  it('reports a wrong key as a failed run (exit 1) without echoing it anywhere', async () => {
    const wrongKey = 'wrong-key-for-e2e-777';
    const result = await runGmpAsync(['materialize', '--select', 'rawg/games', '--partition', DAY], { cwd, env: { ...env, RAWG_API_KEY: wrongKey } });
    expect(result.status).toBe(1);
    // The failure and its hint, on stderr, and nothing else to wade through.
    expect(result.stderr).toMatch(/answered 401/);
    expect(result.stderr).toMatch(/hint: check RAWG_API_KEY/);
    expect(result.stdout).toBe('');
    expect(result.stdout + result.stderr).not.toContain(wrongKey);

    // The demo's whole run against a wrong key: every ingestion step fails the same way.
    const demo = await runGmpAsync(['demo'], { cwd, env: { ...env, RAWG_API_KEY: wrongKey } });
    expect(demo.status).toBe(1);
    const lines = (demo.stdout + demo.stderr).trimEnd().split('\n');
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(5);
    expect(demo.stderr).toMatch(/answered 401/);
    expect(demo.stderr).toMatch(/and \d+ more step\(s\) failed the same way/);
    expect(demo.stderr).toMatch(/hint: check RAWG_API_KEY/);
    expect(demo.stdout + demo.stderr).not.toContain(wrongKey);
    const log = readFileSync(path.join(cwd, '.gmp', 'logs', 'gmp.jsonl'), 'utf8');
    expect(log).not.toContain(wrongKey);
    expect(log).not.toContain(KEY);
  });
});
