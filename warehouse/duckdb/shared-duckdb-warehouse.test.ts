import { realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanceledError, WarehouseError } from '../../core/index.js';
import { holdDuckDbFile } from '../../tests/helpers/hold-duckdb-file.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import type { WarehouseWait, WarehouseWaitEnd } from '../warehouse.js';
import { createDuckDbWarehouse } from './duckdb-driver.js';
import { createSharedDuckDbWarehouse } from './shared-duckdb-warehouse.js';

// DuckDB names the holder by its resolved executable (/proc/<pid>/exe on Linux).
const NODE = realpathSync(process.execPath);
const warehouseFile = () => path.join(tempDir('gmp-duckdb-held-'), 'warehouse.duckdb');

describe('a DuckDB warehouse file held by another process', () => {
  it('fails to open with WAREHOUSE_BUSY naming the holder DuckDB reports', async () => {
    const file = warehouseFile();
    const holder = await holdDuckDbFile(file);
    try {
      const error = await createDuckDbWarehouse({ path: file }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WarehouseError);
      const busy = error as WarehouseError;
      expect(busy.code).toBe('WAREHOUSE_BUSY');
      expect(busy.retryable).toBe(true);
      expect(busy.context.holder).toEqual({ pid: holder.pid, program: NODE });
      expect(busy.message).toContain(`is in use by another process: ${NODE} (pid ${holder.pid})`);
      expect(busy.hint).toContain(path.join(path.dirname(file), 'warehouse.snapshot.duckdb'));
    } finally {
      await holder.release();
    }
  });

  it('is waited for: told at the first busy attempt who holds it, then opened once released', async () => {
    const file = warehouseFile();
    const holder = await holdDuckDbFile(file);
    const waits: WarehouseWait[] = [];
    const ends: WarehouseWaitEnd[] = [];
    const shared = createSharedDuckDbWarehouse({
      path: file,
      waitMs: 60_000,
      // The next attempt waits for this promise: release the file at the first notice.
      onWait: async (wait) => {
        waits.push(wait);
        if (wait.attempt === 1) await holder.release();
      },
      onWaitEnd: (end) => ends.push(end),
    });
    try {
      expect(await shared.query('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await shared.close();
      await holder.release();
    }
    expect(waits).toEqual([
      { path: file, snapshotPath: path.join(path.dirname(file), 'warehouse.snapshot.duckdb'), waitedMs: expect.any(Number), attempt: 1, holder: { pid: holder.pid, program: NODE } },
    ]);
    expect(ends).toEqual([{ path: file, waitedMs: expect.any(Number), attempts: 1, outcome: 'acquired' }]);
  });

  it('stops waiting when the signal aborts, and says the wait ended', async () => {
    const file = warehouseFile();
    const holder = await holdDuckDbFile(file);
    const controller = new AbortController();
    const ends: WarehouseWaitEnd[] = [];
    const shared = createSharedDuckDbWarehouse({ path: file, waitMs: 60_000, onWait: () => controller.abort(), onWaitEnd: (end) => ends.push(end) });
    try {
      await expect(shared.query('SELECT 1', { signal: controller.signal })).rejects.toBeInstanceOf(CanceledError);
      expect(ends.map((e) => e.outcome)).toEqual(['canceled']);
    } finally {
      await shared.close();
      await holder.release();
    }
  });

  it('a reader with no published snapshot is told who holds the file', async () => {
    const file = warehouseFile();
    const holder = await holdDuckDbFile(file);
    const reader = createSharedDuckDbWarehouse({ path: file, waitMs: 0, readOnly: true });
    try {
      const error = (await reader.query('SELECT 1').catch((e: unknown) => e)) as WarehouseError;
      expect(error.code).toBe('WAREHOUSE_BUSY');
      expect(error.message).toContain(`(pid ${holder.pid}), and no snapshot for readers has been published yet`);
    } finally {
      await reader.close();
      await holder.release();
    }
  });
});
