import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { processHome } from '../../orchestration/index.js';
import { createSqliteStateStore } from '../../orchestration/index.js';
import { holdDuckDbFile, type DuckDbFileHolder } from '../helpers/hold-duckdb-file.js';
import { runGmpAsync, spawnGmp, waitForOutput } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-warehouse-wait-key-8080';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
const warehouseFile = () => path.join(cwd, '.gmp', 'warehouse.duckdb');

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  cwd = tempDir('gmp-warehouse-wait-');
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000' };
  // A lake and a warehouse to rebuild a mart from.
  const first = await runGmpAsync(['materialize', '--select', 'rawg/games+', '--exclude', 'rawg/game_details', '--partition', '2025-06-01'], { cwd, env });
  expect(first.status, first.stderr + first.stdout).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
});

/**
 * Starts `gmp materialize --select marts/dim_games` while `holder` holds the warehouse, waits until
 * its stderr matches `notice` (with the holder still holding), then releases the holder.
 */
async function materializeWhileHeld(holder: DuckDbFileHolder, notice: RegExp): Promise<{ status: number | null; stderr: string; stdout: string; noticed: string }> {
  const child = spawnGmp(['materialize', '--select', 'marts/dim_games'], { cwd, env });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let noticed: string;
  try {
    noticed = await waitForOutput(child, () => stderr, (text) => notice.test(text), 'it said on stderr that it waits for the warehouse');
  } finally {
    await holder.release();
  }
  return { status: await exited, stderr, stdout, noticed };
}

describe('gmp materialize while something else holds the DuckDB warehouse', () => {
  it('says at once which program holds it and that BI tools should open the snapshot, then finishes once it is released', async () => {
    const holder = await holdDuckDbFile(warehouseFile());
    const snapshot = path.join(cwd, '.gmp', 'warehouse.snapshot.duckdb');
    const result = await materializeWhileHeld(holder, /Ctrl-C to stop/);

    expect(result.noticed).toContain(`the warehouse ${warehouseFile()} is held by `);
    expect(result.noticed).toContain(`(pid ${holder.pid}), which is not a gmp run`);
    expect(result.noticed).toContain(`BI tools and the DuckDB CLI should open the read-only snapshot instead: ${snapshot}`);
    expect(result.noticed).toContain('gmp waits until the file is released (Ctrl-C to stop)');
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).toMatch(/the warehouse is free after \S+; continuing/);
    expect(result.stdout).toMatch(/run \S+ succeeded/);
  });

  it('names the gmp run that holds it', async () => {
    const holder = await holdDuckDbFile(warehouseFile());
    // The holder stands in for a running gmp run: the state store records it as that run's owner.
    const runId = '20250630T120000Z-held01';
    const state = createSqliteStateStore(path.join(cwd, '.gmp', 'state.sqlite'));
    try {
      const now = new Date().toISOString();
      await state.createRun({ runId, kind: 'backfill', selection: 'rawg/games+', partitions: '-', startedAt: now, owner: `${processHome()}:${holder.pid}:run`, heartbeatAt: now });
    } finally {
      await state.close();
    }
    const result = await materializeWhileHeld(holder, /waiting for it to finish/);

    expect(result.noticed).toContain(`run ${runId} (gmp backfill, pid ${holder.pid}) holds the warehouse; waiting for it to finish`);
    expect(result.noticed).not.toContain('snapshot');
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toMatch(/run \S+ succeeded/);
  });
});
