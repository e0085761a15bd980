import { describe, expect, it } from 'vitest';
import type { WarehouseWaitNotice } from '../app/index.js';
import { createWarehouseWaitDisplay, formatWaited } from './warehouse-wait.js';

const WAREHOUSE = '/p/.gmp/warehouse.duckdb';
const SNAPSHOT = '/p/.gmp/warehouse.snapshot.duckdb';
const program = { kind: 'program', pid: 4321, program: '/usr/bin/duckdb' } as const;
const run = { kind: 'run', pid: 99, runId: '20260105T100000-abc123', runKind: 'materialize' } as const;
const waiting = (waitedMs: number, attempt: number, holder: Extract<WarehouseWaitNotice, { type: 'waiting' }>['holder'] = program): WarehouseWaitNotice => ({
  type: 'waiting', warehouse: WAREHOUSE, snapshotPath: SNAPSHOT, waitedMs, attempt, holder,
});
const ended = (waitedMs: number, outcome: 'acquired' | 'canceled' = 'acquired'): WarehouseWaitNotice => ({ type: 'ended', warehouse: WAREHOUSE, waitedMs, outcome });

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  let text = '';
  return { isTTY, columns: 200, write: (s: string) => ((text += s), true), text: () => text } as unknown as NodeJS.WriteStream & { text: () => string };
}

describe('the warehouse wait on stderr', () => {
  it('off a terminal: who holds it and the snapshot advice at once, then a line at most every 30 s, and the end', () => {
    const stream = fakeStream(false);
    const show = createWarehouseWaitDisplay(stream);
    for (const [ms, attempt] of [[0, 1], [1000, 2], [29_000, 3], [31_000, 4], [45_000, 5], [61_500, 6]] as const) show(waiting(ms, attempt));
    show(ended(62_000));
    expect(stream.text()).toBe(
      [
        `the warehouse ${WAREHOUSE} is held by /usr/bin/duckdb (pid 4321), which is not a gmp run`,
        `  BI tools and the DuckDB CLI should open the read-only snapshot instead: ${SNAPSHOT}`,
        '  gmp waits until the file is released (Ctrl-C to stop)',
        'still waiting for the warehouse (held by pid 4321): 31s',
        'still waiting for the warehouse (held by pid 4321): 1m 01s',
        'the warehouse is free after 1m 02s; continuing',
        '',
      ].join('\n'),
    );
  });

  it('names the gmp run that holds it, once: runs taking turns are not announced again', () => {
    const stream = fakeStream(false);
    const show = createWarehouseWaitDisplay(stream);
    show(waiting(0, 1, run));
    show(ended(300));
    show(waiting(0, 1, run));
    show(ended(200));
    expect(stream.text()).toBe(
      ['run 20260105T100000-abc123 (gmp materialize, pid 99) holds the warehouse; waiting for it to finish', 'the warehouse is free after 0.3s; continuing', ''].join('\n'),
    );
  });

  it('on a terminal: one updating line with the time waited, cleared by the end line', () => {
    const stream = fakeStream(true);
    const show = createWarehouseWaitDisplay(stream);
    show(waiting(0, 1));
    show(waiting(1000, 2));
    show(ended(1800, 'canceled'));
    const screen = stream.text().split('\r\x1b[2K');
    expect(screen).toEqual([
      '',
      `the warehouse ${WAREHOUSE} is held by /usr/bin/duckdb (pid 4321), which is not a gmp run\n  BI tools and the DuckDB CLI should open the read-only snapshot instead: ${SNAPSHOT}\n  gmp waits until the file is released (Ctrl-C to stop)\n`,
      'waiting for the warehouse (held by pid 4321): 0.0s',
      'waiting for the warehouse (held by pid 4321): 1.0s',
      'stopped waiting for the warehouse after 1.8s\n',
    ]);
  });

  it('formats the time waited', () => {
    expect([999, 12_345, 59_999, 60_000, 3_725_000].map(formatWaited)).toEqual(['0.9s', '12s', '59s', '1m 00s', '1h 02m']);
  });
});
