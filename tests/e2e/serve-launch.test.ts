import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStateStore, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { apiSchemas, startServer, type RunningServer } from '../../server/index.js';
import { spawnGmp } from '../helpers/run-gmp.js';
import { testWorkspace } from '../helpers/workspace.js';

const { BackfillDetailSchema, BackfillStartedSchema, CancelSchema, ErrorBodySchema, LaunchedSchema, PreviewSchema, RunDetailSchema } = apiSchemas;

const KEY = 'launch-key-9d2c';
const NOW = '2025-06-30T12:00:00Z';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;

beforeAll(async () => {
  // Slow enough that a run is still going when the test cancels it.
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 40 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const getJson = async (path: string): Promise<unknown> => (await fetch(`${server.url}${path}`)).json();

/** Asks the API (the observable state) until `done` says the value is final, with a 60 s deadline: runs finish on their own time. */
function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!done(value)) throw new Error(`still not done: ${JSON.stringify(value).slice(0, 500)}`);
      return value;
    },
    { timeout: 60_000, interval: 20 },
  );
}
const runOf = (runId: string) => async () => RunDetailSchema.parse(await getJson(`/api/v1/runs/${runId}`));
const finished = (r: { status: string }) => r.status !== 'running';

describe('gmp serve: launching and canceling', () => {
  it('previews a run with its steps per asset and request estimate, running nothing', async () => {
    const { status, body } = await post('/api/v1/runs', { select: 'rawg/games+', partition: '2025-06-20', preview: true });
    expect(status).toBe(200);
    const preview = PreviewSchema.parse(body);
    expect(preview.assets.find((a) => a.asset === 'rawg/games')).toMatchObject({ steps: 1, from: '2025-06-20', to: '2025-06-20' });
    expect(preview.budget?.estimate.total).toBeGreaterThan(0);
    expect(preview.budget?.fits).toBe(true);
    expect(await getJson('/api/v1/runs')).toMatchObject({ runs: [] });
  });

  it('launches a run that goes through the same planner and records, and follows it to its end', async () => {
    const { status, body } = await post('/api/v1/runs', { select: 'rawg/games', partition: '2025-06-20' });
    expect(status).toBe(202);
    const { runId } = LaunchedSchema.parse(body);
    const run = await until(runOf(runId), finished);
    expect(run).toMatchObject({ status: 'succeeded', kind: 'materialize', selection: 'rawg/games' });
    expect(run.steps.map((s) => `${s.asset}[${s.partition}]`)).toEqual(['rawg/games[2025-06-20]']);
  });

  it('cancels a run it launched', async () => {
    const { body } = await post('/api/v1/runs', { select: 'rawg/games', from: '2025-05-01', to: '2025-06-15' });
    const { runId } = LaunchedSchema.parse(body);
    await until(runOf(runId), (r) => r.steps.some((s) => s.status === 'succeeded'));
    const cancel = await post(`/api/v1/runs/${runId}/cancel`, {});
    expect(cancel.status).toBe(202);
    expect(CancelSchema.parse(cancel.body).canceled).toBe(true);
    const run = await until(runOf(runId), finished);
    expect(run.status).toBe('canceled');
    expect(run.steps.filter((s) => s.status === 'succeeded').length).toBeLessThan(46);
    const again = CancelSchema.parse((await post(`/api/v1/runs/${runId}/cancel`, {})).body);
    expect(again).toMatchObject({ canceled: false, message: 'the run had already finished' });
  });

  it('cancels a run another process runs (the gmp CLI), through the state store', async () => {
    const cli = spawnGmp(['materialize', '--select', 'rawg/games', '--from', '2022-01-01', '--to', '2025-05-31'], {
      cwd: ws.config.home,
      env: { RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, GMP_HOME: ws.config.home, RAWG_REQUESTS_PER_SECOND: '1000' },
    });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    const listed = await until(
      async () => (await getJson('/api/v1/runs?status=running')) as { runs: { runId: string; steps: { succeeded: number } }[] },
      (page) => page.runs.some((r) => r.steps.succeeded > 0),
    );
    const runId = listed.runs[0]!.runId;
    expect(CancelSchema.parse((await post(`/api/v1/runs/${runId}/cancel`, {})).body).canceled).toBe(true);
    expect(await exited).toBe(1);
    expect((await until(runOf(runId), finished)).status).toBe('canceled');
  });

  it('starts, cancels and resumes a backfill', async () => {
    const request = { select: 'rawg/games', from: '2025-03-01', to: '2025-03-31' };
    const preview = PreviewSchema.parse((await post('/api/v1/backfills', { ...request, preview: true })).body);
    expect(preview.assets[0]).toMatchObject({ asset: 'rawg/games', steps: 31, toRun: 31 });
    const started = await post('/api/v1/backfills', request);
    expect(started.status).toBe(202);
    const { backfillId } = BackfillStartedSchema.parse(started.body);
    const detail = async () => BackfillDetailSchema.parse(await getJson(`/api/v1/backfills/${backfillId}`));
    await until(detail, (b) => b.counts.succeeded > 0);
    expect((await post(`/api/v1/backfills/${backfillId}/cancel`, {})).status).toBe(200);
    const canceled = await until(detail, (b) => b.counts.running === 0);
    expect(canceled.status).toBe('canceled');
    expect(canceled.counts.succeeded).toBeLessThan(31);
    expect(canceled.resume).toBe(`gmp backfill resume ${backfillId}`);
    expect((await post(`/api/v1/backfills/${backfillId}/resume`, {})).status).toBe(202);
    const done = await until(detail, (b) => b.status !== 'running');
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', counts: { succeeded: 31, failed: 0 } });
  });

  it('refuses bad launches with the error body: unknown selection, malformed JSON, not JSON, cross-site', async () => {
    const unknown = await post('/api/v1/runs', { select: 'rawg/gamez' });
    expect(unknown.status).toBe(400);
    expect(ErrorBodySchema.parse(unknown.body).error.message).toMatch(/did you mean.*rawg\/games/);
    const malformed = await post('/api/v1/runs', '{"select": ');
    expect(malformed.status).toBe(400);
    expect(ErrorBodySchema.parse(malformed.body).error.code).toBe('BAD_REQUEST');
    const extra = await post('/api/v1/runs', { select: 'rawg/games', surprise: true });
    expect(extra.status).toBe(400);
    const form = await fetch(`${server.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'select=rawg/games' });
    expect(form.status).toBe(415);
    const crossOrigin = await post('/api/v1/runs', { select: 'rawg/games', partition: '2025-06-20' }, { origin: 'http://evil.example' });
    expect(crossOrigin.status).toBe(403);
    expect(ErrorBodySchema.parse(crossOrigin.body).error.code).toBe('CROSS_SITE');
    const crossSite = await post('/api/v1/runs', { select: 'rawg/games', partition: '2025-06-20' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(ErrorBodySchema.parse((await post('/api/v1/runs/nope-run/cancel', {})).body).error.code).toBe('NOT_FOUND');
  });

  it('on shutdown cancels the runs it launched, and they release their leases', async () => {
    const other = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
    const res = await fetch(`${other.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ select: 'rawg/games', from: '2025-01-01', to: '2025-02-28' }) });
    const { runId } = LaunchedSchema.parse(await res.json());
    await until(runOf(runId), (r) => r.steps.length > 0);
    await other.close();
    const run = await runOf(runId)();
    expect(run.status).toBe('canceled');
    const state = await openStateStore(ws);
    try {
      expect(await state.listLocks(new Date().toISOString())).toEqual([]);
    } finally {
      await state.close();
    }
  });
});
