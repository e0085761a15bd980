import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { processHome } from '../leases/index.js';
import { createSqliteStateStore, type StateStore } from '../state/index.js';
import { createWarehouseWaitReporter, identifyWarehouseHolder, type WarehouseWaitNotice } from './warehouse-wait-notice.js';

const NOW = '2026-01-05T10:00:00.000Z';
const WAIT = { path: '/w/warehouse.duckdb', snapshotPath: '/w/warehouse.snapshot.duckdb' };

let state: StateStore;
beforeEach(async () => {
  state = createSqliteStateStore(':memory:');
  const run = (runId: string, owner: string) =>
    state.createRun({ runId, kind: 'materialize', selection: 'marts/*', partitions: '-', startedAt: NOW, owner, heartbeatAt: NOW });
  await run('20260105T100000-live01', `${processHome()}:4242:run`);
  await run('20260105T090000-done01', `${processHome()}:5151:run`);
  await state.finishRun('20260105T090000-done01', 'succeeded', NOW);
  await run('20260105T080000-else01', 'another-host:6161:run');
});
afterEach(() => state.close());

describe('who holds the warehouse: a gmp run of this host, or another program', () => {
  it('names the running run whose owner is the holding PID on this host', async () => {
    expect(await identifyWarehouseHolder(state, { pid: 4242, program: '/usr/bin/node' })).toEqual({
      kind: 'run', pid: 4242, runId: '20260105T100000-live01', runKind: 'materialize', program: '/usr/bin/node',
    });
  });

  it('calls anything else a program: a finished run’s PID, a PID of another host, an unrecorded process', async () => {
    for (const pid of [5151, 6161, 777]) expect(await identifyWarehouseHolder(state, { pid, program: '/usr/bin/duckdb' })).toEqual({ kind: 'program', pid, program: '/usr/bin/duckdb' });
    expect(await identifyWarehouseHolder(state, undefined)).toEqual({ kind: 'unknown' });
  });
});

describe('createWarehouseWaitReporter', () => {
  it('forwards every wait as a notice and logs one warning per holder', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    const notices: WarehouseWaitNotice[] = [];
    const reporter = createWarehouseWaitReporter({ state, logger: createLogger({ destination }), namespace: 'duckdb', onNotice: (n) => notices.push(n) });
    const holder = { pid: 4242, program: '/usr/bin/node' };
    await reporter.onWait({ ...WAIT, waitedMs: 0, attempt: 1, holder });
    await reporter.onWait({ ...WAIT, waitedMs: 1000, attempt: 2, holder });
    reporter.onWaitEnd({ path: WAIT.path, waitedMs: 1500, attempts: 2, outcome: 'acquired' });
    await reporter.onWait({ ...WAIT, waitedMs: 0, attempt: 1, holder: { pid: 777, program: '/usr/bin/duckdb' } });

    const run = { kind: 'run', pid: 4242, runId: '20260105T100000-live01', runKind: 'materialize', program: '/usr/bin/node' };
    expect(notices).toEqual([
      { type: 'waiting', warehouse: WAIT.path, snapshotPath: WAIT.snapshotPath, waitedMs: 0, attempt: 1, holder: run },
      { type: 'waiting', warehouse: WAIT.path, snapshotPath: WAIT.snapshotPath, waitedMs: 1000, attempt: 2, holder: run },
      { type: 'ended', warehouse: WAIT.path, waitedMs: 1500, outcome: 'acquired' },
      { type: 'waiting', warehouse: WAIT.path, snapshotPath: WAIT.snapshotPath, waitedMs: 0, attempt: 1, holder: { kind: 'program', pid: 777, program: '/usr/bin/duckdb' } },
    ]);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'waiting for another gmp process to release the warehouse'],
      [30, 'the wait for the warehouse ended'],
      [40, 'waiting for another program to release the warehouse'],
    ]);
  });

  it('a display that throws does not fail the wait', async () => {
    const reporter = createWarehouseWaitReporter({ state, logger: createLogger({ level: 'silent' }), namespace: 'duckdb', onNotice: () => { throw new Error('EPIPE'); } });
    await expect(reporter.onWait({ ...WAIT, waitedMs: 0, attempt: 1 })).resolves.toBeUndefined();
    expect(() => reporter.onWaitEnd({ path: WAIT.path, waitedMs: 1, attempts: 1, outcome: 'acquired' })).not.toThrow();
  });
});
