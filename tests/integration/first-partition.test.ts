import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { listCommittedPartitions, readRecords, createObjectStore } from '../../lake/index.js';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { count, tempDir, testWorkspace } from '../helpers/workspace.js';

const KEY = 'itest-key-9f8e7d6c5b';
const AS_OF = '2025-06-30';
const DAY = '2025-06-28';
const NOW = '2025-06-30T12:00:00Z';

let sandbox: Sandbox;
let home: string;
let ws: Workspace;

/** The lake records of a partition without per-run fields, sorted by id. */
async function lakeRecords(workspace: Workspace, dt: string): Promise<Record<string, unknown>[]> {
  const store = await createObjectStore(workspace.config.lake);
  const manifest = (await listCommittedPartitions(store, 'rawg', 'games')).find((m) => m.dt === dt)!;
  const out: Record<string, unknown>[] = [];
  for await (const r of readRecords(store, manifest)) {
    const { _run_id: _r, _fetched_at: _f, _page: _p, ...rest } = r;
    out.push(rest);
  }
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  sandbox = await startSandbox({ asOf: AS_OF, apiKey: KEY });
  home = tempDir();
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW, home });
});

afterAll(async () => {
  await sandbox.close();
  clearSecrets();
});

describe('one daily partition: sandbox → lake → DuckDB → marts', () => {
  let clean: Record<string, unknown>[];

  it('ingests exactly the games updated that day and builds the marts', async () => {
    const run = await materialize(ws, { select: '+marts/*', partition: DAY });
    expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
    const expected = sandbox.catalogue.idsUpdatedOn(DAY).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(50);
    clean = await lakeRecords(ws, DAY);
    expect(clean.map((r) => r.id)).toEqual(expected);
    const games = run.steps.find((s) => s.step.asset === 'rawg/games')!;
    expect(games.result).toMatchObject({ rows: expected.length, pages: Math.ceil(expected.length / 40) });
    expect(await count(ws, 'select * from marts.fct_game_daily_snapshot')).toBe(expected.length);
    expect(await count(ws, 'select * from marts.dim_games')).toBe(expected.length);
    expect(await count(ws, 'select * from marts.dim_genres')).toBe(19);
    expect(await count(ws, 'select * from marts.bridge_game_genres b left join marts.dim_genres g using (genre_id) where g.genre_id is null')).toBe(0);
  });

  it('completes with exactly the same records while the sandbox injects 429s, 5xx bursts and a truncated body', async () => {
    sandbox.faults.push(
      { type: 'status', status: 429, times: 2, retryAfterSeconds: 0, path: '/games' },
      { type: 'status', status: 503, times: 3, path: '/games' },
      { type: 'truncate', times: 1, path: '/games' },
      { type: 'status', status: 502, times: 2, path: '/games' },
      { type: 'malformed', times: 1, path: '/games' },
    );
    const faulted = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW, home, env: { RAWG_MAX_RETRIES: '10' } });
    const run = await materialize(faulted, { select: 'rawg/games', partition: DAY });
    expect(run.status).toBe('succeeded');
    expect(sandbox.faults.pending()).toHaveLength(0);
    const games = run.steps[0]!.result!;
    expect(games.requests).toBeGreaterThanOrEqual(games.pages! + 9);
    expect(await lakeRecords(faulted, DAY)).toEqual(clean);
    // Re-running replaced the partition: one committed run, no duplicates downstream after a rebuild.
    expect(await count(ws, 'select distinct run_id from raw.rawg_games')).toBe(1);
    await materialize(ws, { select: 'marts/fct_game_daily_snapshot', partition: DAY });
    expect(await count(ws, 'select * from marts.fct_game_daily_snapshot')).toBe(clean.length);
  });

  it('records runs, steps, rows, pages and requests in the state store', async () => {
    const { listRuns } = await import('../../app/index.js');
    const runs = await listRuns(ws);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const first = runs[runs.length - 1]!;
    expect(first.status).toBe('succeeded');
    const games = first.steps.find((s) => s.asset === 'rawg/games')!;
    expect(games).toMatchObject({ partition: DAY, status: 'succeeded', rows: clean.length });
    expect(games.pages).toBeGreaterThan(0);
    expect(games.requests).toBe(games.pages);
  });

  it('fails clearly on a wrong key and commits nothing', async () => {
    const wrong = testWorkspace({ baseUrl: sandbox.url, key: 'not-the-key-123', now: NOW, home });
    const before = await lakeRecords(ws, DAY);
    const run = await materialize(wrong, { select: 'rawg/games', partition: DAY });
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error?.code).toBe('ASSET_FAILED');
    expect(run.steps[0]!.error?.message).toMatch(/answered 401/);
    expect(run.steps[0]!.error?.hint).toMatch(/RAWG_API_KEY/);
    expect(await lakeRecords(ws, DAY)).toEqual(before);
  });

  it('never writes the API key to the lake, the state store, the warehouse or the logs', async () => {
    const leaks: string[] = [];
    for (const file of filesUnder(home)) {
      if (statSync(file).size === 0) continue;
      let bytes = readFileSync(file);
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
      if (bytes.includes(KEY)) leaks.push(path.relative(home, file));
    }
    expect(leaks).toEqual([]);
    // The logs do mention requests and retries, just never with the key.
    const log = readFileSync(path.join(home, 'logs', 'gmp.jsonl'), 'utf8');
    expect(log).toMatch(/retrying request/);
    expect(log).toMatch(/key=\[REDACTED\]|"url":"http:\/\/127\.0\.0\.1:\d+\/api\/games\?/);
  });

  it('serves read-only queries of the marts', async () => {
    const rows = await queryWarehouse(ws, `select dt, count(*) as n from marts.fct_game_daily_snapshot group by dt`);
    expect(rows).toEqual([{ dt: DAY, n: clean.length }]);
    await expect(queryWarehouse(ws, 'create table marts.x as select 1')).rejects.toThrow(/read-only/i);
  });
});
