import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { openStateStore, openWorkspace } from '../../app/index.js';
import { startPostgresServer } from '../helpers/postgres-server.js';
import { runGmpAsync, spawnGmp, waitForOutput } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-daemon-key-4242';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', games: 2000 });
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' };
});

afterAll(async () => {
  await sandbox.close();
});

interface Event {
  type: string;
  schedule?: string;
  tick?: string;
  status?: string;
  partitions?: string;
  reason?: string;
}

interface Run {
  kind: string;
  status: string;
  selection: string;
  partitions: string;
  steps: { asset: string; partition: string | null; status: string }[];
}

/** `gmp daemon --once --json` at `now`: its exit code and events. */
async function daemonOnce(cwd: string, now: string, extra: string[] = [], more: Record<string, string> = {}): Promise<{ status: number | null; events: Event[]; output: string }> {
  const r = await runGmpAsync(['daemon', '--once', '--json', ...extra], { cwd, env: { ...env, ...more, GMP_NOW: now } });
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
  return { status: r.status, events, output: r.stdout + r.stderr };
}

const finished = (events: Event[]) => events.filter((e) => e.type === 'tick-finished').map((e) => `${e.schedule} ${e.tick} ${e.status}`);
const started = (events: Event[]) => events.filter((e) => e.type === 'tick-started').map((e) => `${e.schedule} ${e.partitions}`);

async function scheduleRuns(cwd: string, more: Record<string, string> = {}): Promise<Run[]> {
  const r = await runGmpAsync(['runs', '--json', '--limit', '100'], { cwd, env: { ...env, ...more } });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Run[]).filter((run) => run.kind.startsWith('schedule:')).reverse();
}

async function leases(cwd: string, more: Record<string, string> = {}): Promise<unknown[]> {
  const state = await openStateStore(openWorkspace({ cwd, env: more }));
  try {
    return await state.listLocks('2000-01-01T00:00:00.000Z');
  } finally {
    await state.close();
  }
}

describe('gmp daemon', () => {
  it("--once at 2025-06-30T03:05Z materializes 2025-06-29 of rawg/games+; a second --once does nothing", async () => {
    const cwd = tempDir('gmp-daemon-once-');
    const first = await daemonOnce(cwd, '2025-06-30T03:05:00Z');
    expect(first.status, first.output).toBe(0);
    expect(started(first.events)).toEqual(['daily_games 2025-06-29']);
    expect(finished(first.events)).toEqual(['daily_games 2025-06-30T03:00:00.000Z succeeded']);
    const runs = await scheduleRuns(cwd);
    expect(runs.map((r) => [r.kind, r.status, r.selection, r.partitions])).toEqual([['schedule:daily_games', 'succeeded', 'rawg/games+', '2025-06-29']]);
    const steps = runs[0]!.steps.map((s) => `${s.asset}[${s.partition ?? '-'}] ${s.status}`);
    expect(steps).toContain('rawg/games[2025-06-29] succeeded');
    expect(steps).toContain('marts/fct_game_daily_snapshot[2025-06-29] succeeded');
    expect(steps).toContain('marts/dim_games[-] succeeded');
    const mart = await runGmpAsync(['query', "select count(*) as n from marts.fct_game_daily_snapshot where dt = '2025-06-29'", '--json'], { cwd, env });
    expect((JSON.parse(mart.stdout) as { n: number }[])[0]!.n).toBe(sandbox.catalogue.countUpdatedOn('2025-06-29'));

    const second = await daemonOnce(cwd, '2025-06-30T03:10:00Z');
    expect(second.status, second.output).toBe(0);
    expect(second.events.filter((e) => e.type.startsWith('tick-'))).toEqual([]);
    expect(await scheduleRuns(cwd)).toHaveLength(1);

    const list = await runGmpAsync(['daemon', '--list'], { cwd, env: { ...env, GMP_NOW: '2025-06-30T03:10:00Z' } });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/daily_games\s+0 3 \* \* \*\s+2025-07-01 03:00Z\s+rawg\/games\+ minus tag:training \[2025-06-30\]\s+2025-06-30 03:00Z/);
    expect(list.stdout).toMatch(/weekly_taxonomy\s+0 4 \* \* 1\s+2025-06-30 04:00Z\s+tag:snapshot/);
    expect(list.stdout).toMatch(/weekly_models\s+0 5 \* \* 1\s+2025-06-30 05:00Z\s+tag:training\+/);
  });

  it('catches up the missed daily ticks after downtime, bounded by --max-catch-up', async () => {
    const cwd = tempDir('gmp-daemon-catchup-');
    expect(finished((await daemonOnce(cwd, '2025-06-25T03:05:00Z')).events)).toEqual(['daily_games 2025-06-25T03:00:00.000Z succeeded']);
    // Down for two days: both missed ticks run, oldest first.
    const back = await daemonOnce(cwd, '2025-06-27T03:05:00Z');
    expect(back.status, back.output).toBe(0);
    expect(started(back.events)).toEqual(['daily_games 2025-06-25', 'daily_games 2025-06-26']);
    // Down for three days with --max-catch-up 1: only the latest tick runs, the older two are reported.
    const bounded = await daemonOnce(cwd, '2025-06-30T03:05:00Z', ['--max-catch-up', '1']);
    expect(bounded.status, bounded.output).toBe(0);
    expect(bounded.events.filter((e) => e.type === 'tick-skipped').map((e) => `${e.tick} ${e.reason}`)).toEqual([
      '2025-06-28T03:00:00.000Z catch-up-bound',
      '2025-06-29T03:00:00.000Z catch-up-bound',
    ]);
    expect(started(bounded.events)).toEqual(['daily_games 2025-06-29']);
    expect((await scheduleRuns(cwd)).map((r) => `${r.partitions} ${r.status}`)).toEqual([
      '2025-06-24 succeeded',
      '2025-06-25 succeeded',
      '2025-06-26 succeeded',
      '2025-06-29 succeeded',
    ]);
  });

  it('exits 0 on SIGTERM while idle, leaving no lease behind', async () => {
    const cwd = tempDir('gmp-daemon-term-');
    const child = spawnGmp(['daemon'], { cwd, env: { ...env, GMP_NOW: '2025-06-30T12:00:00Z' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForOutput(child, child.output, (o) => /waiting for daily_games at 2025-07-01 03:00Z/.test(o), 'the daemon is waiting for its next tick');
    // It now sleeps a minute between looks; the signal wakes it (run-daemon.test shows it on a manual clock).
    child.kill('SIGTERM');
    expect(await exited, child.output()).toBe(0);
    expect(child.output()).toMatch(/SIGTERM: stopping the daemon[\s\S]*daemon stopped/);
    expect(await leases(cwd)).toEqual([]);
    expect(await scheduleRuns(cwd)).toEqual([]);
  });

  it.each(['sqlite', 'postgres'])('two --once daemons started together on one %s state store run the tick once in total', async (engine) => {
    const cwd = tempDir('gmp-daemon-two-');
    const postgres = engine === 'postgres' ? await startPostgresServer() : undefined;
    try {
      const more: Record<string, string> = postgres ? { GMP_STATE_URL: await postgres.createDatabase('daemons') } : {};
      const [a, b] = await Promise.all([daemonOnce(cwd, '2025-06-30T03:05:00Z', [], more), daemonOnce(cwd, '2025-06-30T03:05:00Z', [], more)]);
      expect(a.status, a.output).toBe(0);
      expect(b.status, b.output).toBe(0);
      expect([...finished(a.events), ...finished(b.events)]).toEqual(['daily_games 2025-06-30T03:00:00.000Z succeeded']);
      // The other one either saw the lease (taken) or, arriving later, the done tick.
      const passedOver = [...a.events, ...b.events].filter((e) => e.type === 'tick-skipped').map((e) => e.reason);
      expect(passedOver.length === 0 || (passedOver.length === 1 && ['taken', 'done'].includes(passedOver[0]!))).toBe(true);
      expect((await scheduleRuns(cwd, more)).map((r) => `${r.partitions} ${r.status}`)).toEqual(['2025-06-29 succeeded']);
      expect(await leases(cwd, more)).toEqual([]);
    } finally {
      await postgres?.stop();
    }
  });

  it('exits 1 when it cannot start (state store unreachable) and 2 on a usage error', async () => {
    const cwd = tempDir('gmp-daemon-fail-');
    const unreachable = await runGmpAsync(['daemon', '--once'], { cwd, env: { ...env, GMP_STATE_URL: 'postgres://postgres@127.0.0.1:9/none' } });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/ECONNREFUSED/);
    expect((await runGmpAsync(['daemon', '--max-catch-up', '0'], { cwd, env })).status).toBe(2);
    expect((await runGmpAsync(['daemon', '--once'], { cwd, env: { ...env, GMP_NOW: 'tomorrow' } })).status).toBe(2);
  });
});
