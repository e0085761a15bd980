import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { jsonLogLines, runGmpAsync, spawnGmp, waitForOutput } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-backfill-key-1618';
const FROM = '2025-05-01';
const TO = '2025-05-30';
const SELECT = 'rawg/games+';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 15, games: 6000 });
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' };
});

afterAll(async () => {
  await sandbox.close();
});

const json = async <T>(cwd: string, args: string[]): Promise<T> => {
  const r = await runGmpAsync([...args, '--json'], { cwd, env });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return JSON.parse(r.stdout) as T;
};

const marts = (cwd: string) =>
  Promise.all([
    json<unknown[]>(cwd, ['query', 'select * from marts.fct_game_daily_snapshot order by dt, game_id']),
    json<unknown[]>(cwd, ['query', 'select * from marts.dim_games order by game_id']),
    json<unknown[]>(cwd, ['query', 'select * from marts.bridge_game_genres order by all']),
  ]);

interface Backfill {
  backfill: { backfillId: string; status: string };
  counts: Record<string, number>;
}

/** The id in the line `gmp backfill` writes once the backfill is persisted, if written yet. */
const startedId = (output: string) => /^backfill (\S+) started/m.exec(output)?.[1];
const stepsSucceeded = (output: string) => jsonLogLines(output).filter((l) => l.msg === 'step succeeded').length;

describe('a backfill of 30 days of rawg/games+', () => {
  it('killed with SIGKILL mid-way and resumed by a new process ends exactly like an uninterrupted one', async () => {
    const reference = tempDir('gmp-bf-ref-');
    const clean = await runGmpAsync(['backfill', '--select', SELECT, '--from', FROM, '--to', TO], { cwd: reference, env });
    expect(clean.status, clean.stderr + clean.stdout).toBe(0);

    const cwd = tempDir('gmp-bf-kill-');
    // --log-json: the run log comes on stderr, so the test sees each step succeed as it happens.
    const child = spawnGmp(['--log-json', 'backfill', '--select', SELECT, '--from', FROM, '--to', TO], { cwd, env });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A step's backfill row is written right after its log line, before the process waits on any I/O
    // again: once 9 lines are out, at least the first 8 rows say succeeded.
    const output = await waitForOutput(child, child.output, (o) => stepsSucceeded(o) >= 9, 'the backfill has 9 steps succeeded');
    const id = startedId(output)!;
    child.kill('SIGKILL');
    await exited;
    const before = await json<{ status: string; resume: string; counts: Record<string, number> }>(cwd, ['backfill', 'status', id]);
    expect(before.counts.succeeded).toBeGreaterThanOrEqual(8);
    expect(before.counts.pending! + before.counts.running!).toBeGreaterThan(0);
    // Its process is gone: it shows as interrupted (as its run shows as abandoned), with the way on.
    expect(before.status).toBe('interrupted');
    expect(before.resume).toBe(`gmp backfill resume ${id}`);
    const listed = await runGmpAsync(['backfill', 'list'], { cwd, env });
    expect(listed.stdout).toMatch(new RegExp(`^${id} +interrupted `, 'm'));
    expect(listed.stdout).toContain(`${id} was interrupted (its process is gone): gmp backfill resume ${id}`);
    const text = await runGmpAsync(['backfill', 'status', id], { cwd, env });
    expect(text.stdout).toContain(`resume with: gmp backfill resume ${id}`);
    const runsNow = await json<{ kind: string; status: string }[]>(cwd, ['runs']);
    expect(runsNow.find((r) => r.kind === 'backfill')!.status).toBe('abandoned');

    const resumed = await runGmpAsync(['backfill', 'resume', id, '--json'], { cwd, env });
    expect(resumed.status, resumed.stderr + resumed.stdout).toBe(0);
    const outcome = JSON.parse(resumed.stdout) as Backfill;
    expect(outcome.backfill.status).toBe('succeeded');
    expect(outcome.counts).toMatchObject({ pending: 0, running: 0, failed: 0, canceled: 0 });

    // Every (asset, partition) succeeded exactly once across the killed and the resumed run.
    const runs = await json<{ runId: string; kind: string; steps: { asset: string; partition: string | null; status: string; metadata: Record<string, unknown> | null }[] }[]>(cwd, ['runs']);
    const successes = new Map<string, number>();
    for (const run of runs) {
      for (const s of run.steps) {
        if (s.status === 'succeeded' && !s.metadata?.already_done) {
          const k = `${s.asset}[${s.partition}]`;
          successes.set(k, (successes.get(k) ?? 0) + 1);
        }
      }
    }
    const daily = [...successes].filter(([k]) => k.startsWith('rawg/games[') || k.startsWith('marts/fct_game_daily_snapshot['));
    expect(daily).toHaveLength(60);
    expect(daily.filter(([, n]) => n !== 1)).toEqual([]);

    expect(await marts(cwd)).toEqual(await marts(reference));
    // No duplicate lake runs left visible: one run folder per committed partition.
    const games = path.join(cwd, '.gmp', 'lake', 'raw', 'rawg', 'games');
    expect(readdirSync(games)).toHaveLength(30);
    const visible = await json<{ n: number }[]>(cwd, ['query', 'select count(distinct (dt, run_id)) as n from raw.rawg_games']);
    expect(visible[0]!.n).toBe(30);
  }, 150_000);

  it('two processes on the same backfill never materialize the same (asset, partition) at once', async () => {
    const cwd = tempDir('gmp-bf-two-');
    const first = spawnGmp(['backfill', '--select', SELECT, '--from', FROM, '--to', TO], { cwd, env });
    const firstDone = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    // The second process joins as soon as the first has persisted the backfill.
    const id = startedId(await waitForOutput(first, first.output, (o) => startedId(o) !== undefined, 'the backfill is started'))!;
    const second = await runGmpAsync(['backfill', 'resume', id], { cwd, env });
    expect(await firstDone, first.output()).toBe(0);
    expect(second.status, second.stderr + second.stdout).toBe(0);

    const runs = await json<{ runId: string }[]>(cwd, ['runs']);
    expect(runs.length).toBe(2);
    const intervals = new Map<string, { run: string; start: string; end: string }[]>();
    for (const { runId } of runs) {
      const detail = await json<{ events: { type: string; asset: string | null; partition: string | null; ts: string }[] }>(cwd, ['runs', 'show', runId]);
      const open = new Map<string, string>();
      for (const e of detail.events) {
        const k = `${e.asset}[${e.partition}]`;
        if (e.type === 'STEP_START') open.set(k, e.ts);
        if ((e.type === 'STEP_SUCCESS' || e.type === 'STEP_FAILURE') && open.has(k)) {
          intervals.set(k, [...(intervals.get(k) ?? []), { run: runId, start: open.get(k)!, end: e.ts }]);
        }
      }
    }
    const overlaps = [...intervals].filter(([, list]) => list.length > 1 && list[0]!.start < list[1]!.end && list[1]!.start < list[0]!.end);
    expect(overlaps).toEqual([]);
    const status = await json<{ counts: Record<string, number> }>(cwd, ['backfill', 'status', id]);
    expect(status.counts).toMatchObject({ pending: 0, running: 0, failed: 0, canceled: 0 });
  }, 150_000);
});
