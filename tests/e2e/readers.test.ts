import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { createDuckDbWarehouse } from '../../warehouse/index.js';
import { runGmpAsync, spawnGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-readers-key-5772';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  env = { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000' };
});

afterAll(async () => {
  await sandbox.close();
});

describe('readers while a run holds the warehouse', () => {
  it('gmp query keeps answering while a backfill writes, and reads the published marts while the file is held', async () => {
    const cwd = tempDir('gmp-readers-');
    const first = await runGmpAsync(['materialize', '--select', 'rawg/games+', '--partition', '2025-06-01'], { cwd, env });
    expect(first.status, first.stderr + first.stdout).toBe(0);
    // The run published the marts for readers, and its events say what it cost.
    const runId = /run (\S+) succeeded/.exec(first.stdout)![1]!;
    const shown = JSON.parse((await runGmpAsync(['runs', 'show', runId, '--json'], { cwd, env })).stdout) as { events: { type: string; message: string; data: { publication?: { bytes: number; ms: number; relations: number } } | null }[] };
    const published = shown.events.find((e) => e.data?.publication)!;
    expect(published.message).toMatch(/^published \d+ relations for readers \([\d.]+ MB in [\d.]+ s\)$/);
    const snapshot = path.join(cwd, '.gmp', 'warehouse.snapshot.duckdb');
    expect(published.data!.publication!.bytes).toBe(statSync(snapshot).size);
    expect(statSync(snapshot).size).toBeLessThan(statSync(path.join(cwd, '.gmp', 'warehouse.duckdb')).size);
    const expected = JSON.parse((await runGmpAsync(['query', 'select count(*) as n from marts.dim_games', '--json'], { cwd, env })).stdout) as { n: number }[];
    // gmp status names what readers get.
    const status = await runGmpAsync(['status'], { cwd, env });
    expect(status.stdout).toContain(`readers' snapshot: ${published.message.match(/published (\d+) relations/)![1]} relations (`);
    expect(status.stdout).toMatch(new RegExp(`published by run ${runId} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC — .*warehouse\\.snapshot\\.duckdb`));

    sandbox.faults.setLatency(20);
    const writer = spawnGmp(['backfill', '--select', 'rawg/games+', '--exclude', 'rawg/game_details', '--from', '2025-06-02', '--to', '2025-06-20'], { cwd, env });
    const writerDone = new Promise<number | null>((resolve) => writer.once('exit', (code) => resolve(code)));
    let answered = 0;
    let finished = false;
    void writerDone.then(() => (finished = true));
    while (!finished) {
      const r = await runGmpAsync(['query', 'select count(*) as n from marts.dim_games', '--json'], { cwd, env });
      expect(r.status, r.stderr).toBe(0);
      const [row] = JSON.parse(r.stdout) as { n: number }[];
      expect(row!.n).toBeGreaterThanOrEqual(expected[0]!.n);
      answered++;
    }
    sandbox.faults.setLatency(0);
    expect(await writerDone, writer.output()).toBe(0);
    expect(answered).toBeGreaterThan(2);

    // Deterministically: while another process holds the warehouse file, the snapshot answers.
    const holder = await createDuckDbWarehouse({ path: path.join(cwd, '.gmp', 'warehouse.duckdb') });
    try {
      const r = await runGmpAsync(['query', 'select count(*) as n from marts.dim_games', '--json'], { cwd, env });
      expect(r.status, r.stderr).toBe(0);
      // The notice names the run that published what it reads: the backfill, the latest run.
      const [latest] = JSON.parse((await runGmpAsync(['runs', '--json'], { cwd, env })).stdout) as { runId: string }[];
      expect(r.stderr).toContain(`note: a run holds the warehouse; reading the snapshot published at `);
      expect(r.stderr).toContain(` by run ${latest!.runId} (${snapshot})`);
      expect((JSON.parse(r.stdout) as { n: number }[])[0]!.n).toBeGreaterThanOrEqual(expected[0]!.n);
      // Staging is the pipeline's: readers are told so rather than handed a missing table.
      const staging = await runGmpAsync(['query', 'select count(*) as n from staging.stg_rawg__games'], { cwd, env });
      expect(staging.status).not.toBe(0);
      expect(staging.stderr).toContain('staging.stg_rawg__games is not published for readers while a run holds the warehouse; query marts.*, or retry when the run ends');
    } finally {
      await holder.close();
    }
  });
});
