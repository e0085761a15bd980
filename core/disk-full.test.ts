import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFullError, freeBytesAt, isDiskFull } from './disk-full.js';
import { DiskFullError, diskFullMessage } from './errors/index.js';

const MB = 1024 * 1024;
const errno = (code: string, message = `${code}: failed`) => Object.assign(new Error(message), { code });

describe('isDiskFull', () => {
  it("recognises a full disk as Node, SQLite and DuckDB report it, anywhere in the cause chain", () => {
    expect(isDiskFull(errno('ENOSPC', 'ENOSPC: no space left on device, write'))).toBe(true);
    expect(isDiskFull(errno('EDQUOT'))).toBe(true);
    expect(isDiskFull(errno('SQLITE_FULL', 'database or disk is full'))).toBe(true);
    expect(isDiskFull(new Error('TransactionContext Error: Failed to commit: Could not write file "/w.duckdb": No space left on device'))).toBe(true);
    expect(isDiskFull(new Error('step failed', { cause: new Error('wrapped', { cause: errno('ENOSPC') }) }))).toBe(true);
    expect(isDiskFull(new DiskFullError({ path: '/x' }))).toBe(true);
  });

  it('is false for other failures, and for a bare I/O error on a file system with room', () => {
    for (const error of [errno('EACCES'), errno('SQLITE_CORRUPT', 'database disk image is malformed'), new Error('Binder Error'), undefined, null, 'ENOSPC']) {
      expect(isDiskFull(error)).toBe(false);
    }
    // SQLite hides the errno behind SQLITE_IOERR_*: only a (nearly) full file system makes it one.
    expect(isDiskFull(errno('SQLITE_IOERR_WRITE', 'disk I/O error'))).toBe(false);
    expect(isDiskFull(errno('SQLITE_IOERR_WRITE', 'disk I/O error'), tmpdir())).toBe(false);
  });
});

describe('diskFullMessage', () => {
  it('says how much more the write needs and what is free, as precisely as it is known', () => {
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 50 * MB, freeBytes: 8 * MB })).toBe('disk full: /lake/a.gz needs ~42 MB more (8.0 MB free on its file system)');
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 3 * MB + 1, freeBytes: 0 })).toBe('disk full: /lake/a.gz needs ~3.1 MB more (0.0 MB free on its file system)');
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 100, freeBytes: 10 })).toBe('disk full: /lake/a.gz needs ~0.1 MB more (0.1 MB free on its file system)');
    // A stream cut short: a lower bound.
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 5 * MB, atLeast: true, freeBytes: 1 * MB })).toBe('disk full: /lake/a.gz needs at least ~4.0 MB more (1.0 MB free on its file system)');
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 1 * MB, atLeast: true, freeBytes: 2 * MB })).toBe('disk full: /lake/a.gz needs more than the 2.0 MB free on its file system');
    // Freed meanwhile by someone else.
    expect(diskFullMessage({ path: '/lake/a.gz', neededBytes: 1 * MB, freeBytes: 2 * MB })).toBe('disk full: /lake/a.gz needs ~1.0 MB (2.0 MB free on its file system now)');
    // SQLite and DuckDB do not say how much they needed.
    expect(diskFullMessage({ path: '/home/.gmp/state.sqlite', freeBytes: 0 })).toBe('disk full: /home/.gmp/state.sqlite needs more space (0.0 MB free on its file system)');
    expect(diskFullMessage({ path: 'the data directory of postgres://db:5432/gmp' })).toBe('disk full: the data directory of postgres://db:5432/gmp needs more space');
  });
});

describe('diskFullError', () => {
  it("measures the free space of the path's nearest existing folder, and keeps the cause and a hint", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-disk-full-'));
    try {
      const cause = errno('ENOSPC');
      const error = diskFullError(cause, path.join(dir, 'not', 'yet', 'there.gz'), { neededBytes: 10 });
      expect(error).toBeInstanceOf(DiskFullError);
      expect(error).toMatchObject({ code: 'DISK_FULL', retryable: false, cause, path: path.join(dir, 'not', 'yet', 'there.gz'), neededBytes: 10 });
      expect(error.freeBytes).toBe(freeBytesAt(dir));
      expect(error.hint).toMatch(/free space/);
      expect(error.message).not.toMatch(/damaged/);
      expect(diskFullError(error, '/elsewhere')).toBe(error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
