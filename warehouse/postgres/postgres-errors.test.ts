import { describe, expect, it } from 'vitest';
import { DiskFullError, WarehouseError } from '../../core/index.js';
import { toWarehouseError } from './postgres-errors.js';

const at = { where: 'postgres://gmp@db:5432/analytics', user: 'gmp', database: 'analytics', sql: 'INSERT INTO raw.rawg_games …' };

describe('toWarehouseError', () => {
  it("reports the server's full disk (SQLSTATE 53100) as a full disk, not as a failed statement", () => {
    const cause = Object.assign(new Error('could not extend file "base/16384/16385": No space left on device'), { code: '53100' });
    const error = toWarehouseError(cause, at);
    expect(error).toBeInstanceOf(DiskFullError);
    expect(error).toMatchObject({ code: 'DISK_FULL', message: 'disk full: the data directory of postgres://gmp@db:5432/analytics needs more space', cause });
    expect((error as DiskFullError).hint).toMatch(/rolled back/);
  });

  it('keeps other statement errors as they were', () => {
    const error = toWarehouseError(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), at);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.message).toBe('Postgres: relation "x" does not exist (SQLSTATE 42P01)');
  });
});
