import { describe, expect, it } from 'vitest';
import { describeWarehouseHolder, parseDuckDbLockHolder } from './duckdb-lock-holder.js';

describe('parseDuckDbLockHolder: who holds a DuckDB file, from the lock error', () => {
  it('reads the program and PID from DuckDB 1.5 on Linux (reproduced: a second node process holding the file)', () => {
    const message =
      'IO Error: Could not set lock on file "/tmp/lockrepro/w.duckdb": Conflicting lock is held in /usr/bin/node (PID 9538). ' +
      'See also https://duckdb.org/docs/stable/connect/concurrency';
    expect(parseDuckDbLockHolder(message)).toEqual({ pid: 9538, program: '/usr/bin/node' });
  });

  it('reads the user where DuckDB names it, and a program path with spaces', () => {
    const message =
      'IO Error: Could not set lock on file "/Users/a/w.duckdb": \nConflicting lock is held in ' +
      '/Applications/DBeaver Community.app/Contents/MacOS/dbeaver (PID 8420) by user alexandre. See also https://duckdb.org/docs/stable/connect/concurrency';
    expect(parseDuckDbLockHolder(message)).toEqual({ pid: 8420, program: '/Applications/DBeaver Community.app/Contents/MacOS/dbeaver', user: 'alexandre' });
  });

  it('reads the Windows wording', () => {
    const message =
      'IO Error: Cannot open file "C:\\w.duckdb": The process cannot access the file because it is being used by another process.\n\n' +
      'File is already open in \nC:\\Program Files\\DuckDB\\duckdb.exe (PID 1234)';
    expect(parseDuckDbLockHolder(message)).toEqual({ pid: 1234, program: 'C:\\Program Files\\DuckDB\\duckdb.exe' });
  });

  it('names no holder when DuckDB does not (or names PID 0, a process outside this PID namespace)', () => {
    expect(parseDuckDbLockHolder('IO Error: Could not set lock on file "/w.duckdb": Resource temporarily unavailable')).toBeUndefined();
    expect(parseDuckDbLockHolder('IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in  (PID 0).')).toBeUndefined();
  });

  it('describes the holder for people', () => {
    expect(describeWarehouseHolder({ pid: 7, program: '/usr/bin/duckdb' })).toBe('/usr/bin/duckdb (pid 7)');
    expect(describeWarehouseHolder({ pid: 7 })).toBe('pid 7');
    expect(describeWarehouseHolder(undefined)).toBe('another process');
  });
});
