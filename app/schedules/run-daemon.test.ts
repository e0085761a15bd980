import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { testWorkspace } from '../../tests/helpers/workspace.js';
import { openStateStore, type Workspace } from '../workspace.js';
import { createScheduleTickLog, DEFAULT_SCHEDULES, ownerId, processHome, type ScheduleDefinition } from '../../orchestration/index.js';
import { daemonStatus, type DaemonStatus } from './daemon-status.js';
import { runDaemon, type DaemonEvent } from './run-daemon.js';

const KEY = 'daemon-test-key-2718';
const daily = DEFAULT_SCHEDULES[0]! as ScheduleDefinition;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', games: 2000 });
});

afterAll(async () => {
  await sandbox.close();
});

const workspace = (now: string, env: Record<string, string> = {}, home?: string): Workspace =>
  testWorkspace({ baseUrl: sandbox.url, key: KEY, now, env: { GMP_LOG_LEVEL: 'silent', ...env }, ...(home ? { home } : {}) });

async function inState<T>(ws: Workspace, read: (state: Awaited<ReturnType<typeof openStateStore>>) => Promise<T>): Promise<T> {
  const state = await openStateStore(ws);
  try {
    return await read(state);
  } finally {
    await state.close();
  }
}

describe('runDaemon', () => {
  it('sleeps on its clock until the next tick, runs it through the normal path, and stops on abort while asleep', async () => {
    // The daemon's time passes only when the test moves its clock.
    const clock = manualClock('2025-06-30T02:59:59.300Z');
    const ws = { ...workspace('2025-06-30T02:59:59.300Z'), clock };
    const stop = new AbortController();
    const events: DaemonEvent[] = [];
    let whileRunning: Promise<DaemonStatus[]> | undefined;
    const daemon = runDaemon(ws, {
      signal: stop.signal,
      schedules: [daily],
      pollMs: 5_000,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'tick-started') whileRunning = daemonStatus(ws);
      },
    });
    // It sleeps until the tick rather than running it early.
    const ended = daemon.then(() => 'the daemon returned');
    expect(await Promise.race([clock.nextSleep(), ended])).toBe(700);
    expect(events.map((e) => e.type)).toEqual(['started', 'waiting']);
    clock.advance(700);
    // Then it sleeps again (at most pollMs); a stop wakes it without the clock moving.
    expect(await Promise.race([clock.nextSleep(), ended])).toBe(5_000);
    stop.abort();
    const summary = await daemon;
    expect(summary.ticks.map((t) => [t.schedule, t.tick, t.status, t.partitions])).toEqual([['daily_games', '2025-06-30T03:00:00.000Z', 'succeeded', '2025-06-29']]);
    expect(events.map((e) => e.type)).toEqual(['started', 'waiting', 'tick-started', 'tick-finished', 'waiting', 'stopping', 'stopped']);
    expect(events.find((e) => e.type === 'tick-started')!.at).toBe('2025-06-30T03:00:00.000Z');
    // Its heartbeat: running with the tick it waited for, then stopped.
    expect(await whileRunning).toEqual([expect.objectContaining({ state: 'running', nextTick: 'daily_games@2025-06-30T03:00:00.000Z', stoppedAt: null, once: false })]);
    expect(await daemonStatus(ws)).toEqual([expect.objectContaining({ state: 'stopped', stoppedAt: expect.any(String) })]);
    const runs = await inState(ws, (s) => s.listRuns());
    expect(runs.map((r) => [r.kind, r.status, r.selection, r.partitions])).toEqual([['schedule:daily_games', 'succeeded', 'rawg/games+', '2025-06-29']]);
    expect(await inState(ws, (s) => createScheduleTickLog(s).lastTicks([daily]))).toEqual(new Map([['daily_games', new Date('2025-06-30T03:00Z')]]));
    expect(await inState(ws, (s) => s.listLocks('2000-01-01T00:00:00.000Z'))).toEqual([]);
  });

  it('tells a killed daemon (no stop, no heartbeat for 90 s) from a running one', async () => {
    const ws = workspace('2025-06-30T12:00:00Z');
    await inState(ws, async (s) => {
      await s.recordDaemon({ owner: 'host:1:daemon-aaaaaa', startedAt: '2025-06-30T10:00:00.000Z', heartbeatAt: '2025-06-30T11:58:00.000Z', stoppedAt: null, nextTick: null, once: false });
      await s.recordDaemon({ owner: 'host:2:daemon-bbbbbb', startedAt: '2025-06-30T11:00:00.000Z', heartbeatAt: '2025-06-30T11:59:45.000Z', stoppedAt: null, nextTick: null, once: false });
      await s.recordDaemon({ owner: 'host:3:daemon-cccccc', startedAt: '2025-06-01T11:00:00.000Z', heartbeatAt: '2025-06-01T11:00:00.000Z', stoppedAt: null, nextTick: null, once: false });
    });
    expect((await daemonStatus(ws)).map((d) => [d.owner, d.state])).toEqual([
      ['host:2:daemon-bbbbbb', 'running'],
      ['host:1:daemon-aaaaaa', 'silent'],
    ]);
  });

  it('records a failed tick as a failed run and goes on with the next one', async () => {
    const home = workspace('2025-06-28T03:05:00Z').config.home;
    // Nothing listens on port 9 of loopback: the preflight fails in milliseconds.
    const env = { RAWG_BASE_URL: 'http://127.0.0.1:9/api' };
    await runDaemon(workspace('2025-06-28T03:05:00Z', env, home), { schedules: [daily], once: true });
    const ws = workspace('2025-06-30T03:05:00Z', env, home);
    const summary = await runDaemon(ws, { schedules: [daily], once: true });
    expect(summary.ticks.map((t) => [t.tick, t.status])).toEqual([
      ['2025-06-29T03:00:00.000Z', 'failed'],
      ['2025-06-30T03:00:00.000Z', 'failed'],
    ]);
    expect(summary.ticks[0]!.error).toMatch(/cannot reach/);
    const runs = await inState(ws, (s) => s.listRuns());
    expect(runs.map((r) => [r.kind, r.status, r.partitions])).toEqual([
      ['schedule:daily_games', 'failed', '2025-06-29'],
      ['schedule:daily_games', 'failed', '2025-06-28'],
      ['schedule:daily_games', 'failed', '2025-06-27'],
    ]);
    // Failed ticks are done: a third daemon has nothing to do.
    expect((await runDaemon(ws, { schedules: [daily], once: true })).ticks).toEqual([]);
  });

  it('on shutdown cancels a run still going after the grace period, releases its leases, and leaves the tick due', async () => {
    const clock = manualClock('2025-06-30T03:05:00Z');
    const ws = { ...workspace('2025-06-30T03:05:00Z'), clock };
    const stop = new AbortController();
    let tickStarted = false;
    try {
      const daemon = runDaemon(ws, {
        signal: stop.signal,
        schedules: [daily],
        graceMs: 100,
        onEvent: (e) => {
          if (e.type !== 'tick-started') return;
          tickStarted = true;
          // From now on the API never answers: the run can end only by being canceled.
          sandbox.faults.push({ type: 'hang', times: 1_000_000 });
          stop.abort();
        },
      });
      // The stop arrived with the run going: it gets its grace, on the daemon's clock, and only then is canceled.
      expect(await Promise.race([clock.nextSleep(), daemon.then(() => 'the daemon returned before any grace')])).toBe(100);
      expect(tickStarted).toBe(true);
      clock.advance(100);
      const summary = await daemon;
      expect(summary.ticks.map((t) => t.status)).toEqual(['canceled']);
    } finally {
      sandbox.faults.clear();
    }
    expect(await inState(ws, (s) => s.listLocks('2000-01-01T00:00:00.000Z'))).toEqual([]);
    expect((await inState(ws, (s) => s.listRuns())).map((r) => r.status)).toEqual(['canceled']);
    const again = await runDaemon(ws, { schedules: [daily], once: true });
    expect(again.ticks.map((t) => [t.tick, t.status])).toEqual([['2025-06-30T03:00:00.000Z', 'succeeded']]);
  });

  it('passes over a tick whose lease a live daemon holds, and takes over one held by a dead process', async () => {
    const ws = workspace('2025-06-30T03:05:00Z');
    const lease = 'schedule:daily_games:2025-06-30T03:00:00.000Z';
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await inState(ws, (s) => s.tryAcquireLock(lease, ownerId('daemon-other'), 600_000, '2025-06-30T03:04:00.000Z'));
    expect((await runDaemon(ws, { schedules: [daily], once: true })).ticks.map((t) => t.status)).toEqual(['taken']);
    await inState(ws, (s) => s.releaseLock(lease, ownerId('daemon-other')));
    await inState(ws, (s) => s.tryAcquireLock(lease, `${processHome()}:${dead}:daemon-gone`, 600_000, '2025-06-30T03:04:00.000Z'));
    expect((await runDaemon(ws, { schedules: [daily], once: true })).ticks.map((t) => t.status)).toEqual(['succeeded']);
    expect(await inState(ws, (s) => s.listLocks('2000-01-01T00:00:00.000Z'))).toEqual([]);
  });

  it('on a Monday after 04:00 runs the weekly snapshots without anything downstream', async () => {
    // Fresh state at 04:05: the 03:00 daily tick is older than the fresh-start hour, so only the weekly one is due.
    const ws = workspace('2025-06-30T04:05:00Z');
    const summary = await runDaemon(ws, { once: true });
    expect(summary.ticks.map((t) => [t.schedule, t.tick, t.status])).toEqual([['weekly_taxonomy', '2025-06-30T04:00:00.000Z', 'succeeded']]);
    const weekly = summary.ticks[0]!;
    const steps = await inState(ws, (s) => s.listMaterializations({ runId: weekly.runId! }));
    expect(steps.map((m) => m.asset).sort()).toEqual([
      'rawg/creator_roles', 'rawg/developers', 'rawg/genres', 'rawg/parent_platforms', 'rawg/platforms', 'rawg/publishers', 'rawg/stores', 'rawg/tags',
    ]);
  });

  it('refuses to start without an API key when a schedule ingests', async () => {
    const ws = workspace('2025-06-30T03:05:00Z', { RAWG_API_KEY: '' });
    await expect(runDaemon(ws, { once: true })).rejects.toThrow(/RAWG_API_KEY is not set, and schedule daily_games, weekly_taxonomy fetches/);
  });
});
