import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, listAssets, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { apiSchemas, startServer, type RunningServer } from '../../server/index.js';
import { testWorkspace } from '../helpers/workspace.js';

const {
  AssetDetailSchema, AssetsPageSchema, BackfillsSchema, BudgetSchema, CheckHistorySchema, ColumnsSchema, ErrorBodySchema, EventSchema, EventsPageSchema, LineageSchema,
  PartitionsSchema, RunDetailSchema, RunsPageSchema, SchedulesSchema, StatusSchema,
} = apiSchemas;

const KEY = 'canary-rawg-key-5f1e9a77';
const DAY = '2025-06-20';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let readOnly: RunningServer;
const logLines: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  const run = await materialize(ws, { select: 'rawg/games+', partition: DAY });
  expect(run.status).toBe('succeeded');
  const logger = createLogger({ destination: { write: (line: string) => void logLines.push(line) } });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger });
  readOnly = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: true, logger });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await readOnly?.close();
  await sandbox?.close();
});

const bodies: string[] = [];
async function get(path: string, base = server.url): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${base}${path}`);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text, headers: res.headers };
}

/** A request with a Host header of our choosing (fetch will not send a forged one). */
function rawRequest(options: { method: string; path: string; host: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: { host: options.host, ...options.headers } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('gmp serve: the read API', () => {
  it('answers health and readiness', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('gzips what a client accepts gzipped, and never the live event stream', async () => {
    const url = new URL(server.url);
    const raw = (path: string, encoding?: string) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const req = httpRequest({ host: url.hostname, port: url.port, path, headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    const plain = await raw('/api/v1/assets');
    const zipped = await raw('/api/v1/assets', 'gzip, deflate');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    const [run] = RunsPageSchema.parse((await get('/api/v1/runs')).body).runs;
    const stream = await raw(`/api/v1/runs/${run!.runId}/events/stream`, 'gzip');
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.body.toString('utf8')).toContain('event: end');
  });

  it('pages every asset with a cursor, and filters by kind and text', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: unknown } = await get(`/api/v1/assets?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const body = AssetsPageSchema.parse(page.body);
      expect(body.assets.length).toBeLessThanOrEqual(7);
      seen.push(...body.assets.map((a) => a.key));
      cursor = body.next;
    } while (cursor !== null);
    expect(seen).toEqual(listAssets(ws).map((a) => a.key));
    const ingestion = AssetsPageSchema.parse((await get('/api/v1/assets?kind=ingestion&limit=500')).body);
    expect(ingestion.assets.map((a) => a.key)).toContain('rawg/games');
    expect(ingestion.assets.every((a) => a.kind === 'ingestion')).toBe(true);
    const text = AssetsPageSchema.parse((await get('/api/v1/assets?q=DIM_GAMES')).body);
    expect(text.assets.map((a) => a.key)).toContain('marts/dim_games');
  });

  it('shows one asset (its key URL-encoded) with what reads it, and its partitions as ranges', async () => {
    const games = AssetDetailSchema.parse((await get('/api/v1/assets/rawg%2Fgames')).body);
    expect(games).toMatchObject({ key: 'rawg/games', kind: 'ingestion' });
    expect(games.downstream).toContain('rawg/game_details');
    const partitions = await get('/api/v1/assets/rawg%2Fgames/partitions');
    const ranges = PartitionsSchema.parse(partitions.body);
    expect(ranges.counts.ok).toBe(1);
    expect(ranges.ranges.find((r) => r.status === 'ok')).toEqual({ from: DAY, to: DAY, status: 'ok', count: 1 });
    // Ranges, never keys: 3,800 days of history fit in a few elements.
    expect(ranges.ranges.length).toBeLessThanOrEqual(3);
  });

  it('lists runs, shows one with its steps, and pages its events filtered on the server', async () => {
    const runs = RunsPageSchema.parse((await get('/api/v1/runs')).body);
    expect(runs.runs).toHaveLength(1);
    const [run] = runs.runs;
    expect(run).toMatchObject({ kind: 'materialize', status: 'succeeded' });
    expect(runs.next).toBeNull();
    const detail = RunDetailSchema.parse((await get(`/api/v1/runs/${run!.runId}`)).body);
    expect(detail.steps.length).toBe(run!.steps.total);
    expect(detail.checksFailed).toBe(0);
    const all = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?limit=500`)).body);
    const failures = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?type=RUN_START,RUN_END`)).body);
    expect(failures.events.map((e) => e.type)).toEqual(['RUN_START', 'RUN_END']);
    const games = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?asset=rawg%2Fgames&limit=500`)).body);
    expect(games.events.length).toBeGreaterThan(0);
    expect(games.events.every((e) => e.asset === 'rawg/games')).toBe(true);
    // Cursor paging walks the same events in the same order.
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?limit=25${cursor ? `&cursor=${cursor}` : ''}`)).body);
      paged.push(...page.events.map((e) => e.id));
      cursor = page.next;
    } while (cursor !== null);
    expect(paged).toEqual(all.events.map((e) => e.id));
    // One step's events; levels: nothing failed, so level=error is empty and level=info is all.
    const step = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?asset=rawg%2Fgames&partition=${DAY}`)).body);
    expect(step.events.map((e) => e.type)).toEqual(['STEP_START', 'STEP_SUCCESS']);
    expect(EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?level=error`)).body).events).toEqual([]);
    expect(EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?level=info&limit=500`)).body).events).toEqual(all.events);
    expect(all.events.every((e) => e.level === 'info')).toBe(true);
  });

  it("streams a finished run's events as Server-Sent Events, then says it ended, resuming after Last-Event-ID", async () => {
    const [run] = RunsPageSchema.parse((await get('/api/v1/runs')).body).runs;
    const all = EventsPageSchema.parse((await get(`/api/v1/runs/${run!.runId}/events?limit=500`)).body).events;
    const read = async (headers: Record<string, string>) => {
      const res = await fetch(`${server.url}/api/v1/runs/${run!.runId}/events/stream`, { headers });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const messages = (await res.text()).split('\n\n').filter(Boolean);
      return messages.map((m) => Object.fromEntries(m.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])));
    };
    const whole = await read({});
    expect(whole.at(-1)).toMatchObject({ event: 'end' });
    expect(whole.slice(0, -1).map((m) => Number(m.id))).toEqual(all.map((e) => e.id));
    expect(EventSchema.parse(JSON.parse(whole[0]!.data!))).toEqual(all[0]);
    const resumed = await read({ 'last-event-id': String(all[4]!.id) });
    expect(resumed.slice(0, -1).map((m) => Number(m.id))).toEqual(all.slice(5).map((e) => e.id));
  });

  it('serves status, budget, schedules, backfills and lineage, each matching its schema', async () => {
    const status = StatusSchema.parse((await get('/api/v1/status')).body);
    expect(status.assets.find((a) => a.asset === 'rawg/games')).toMatchObject({ latest: DAY });
    const budget = BudgetSchema.parse((await get('/api/v1/budget')).body);
    expect(budget.ledgers[0]).toMatchObject({ source: 'rawg', endpoint: sandbox.url, inUse: true });
    expect(budget.ledgers[0]!.usage.month).toBeGreaterThan(0);
    const schedules = SchedulesSchema.parse((await get('/api/v1/schedules')).body);
    expect(schedules.schedules.map((s) => s.schedule)).toEqual(['daily_games', 'weekly_taxonomy', 'weekly_models']);
    expect(schedules.daemons).toEqual([]);
    const checks = CheckHistorySchema.parse((await get('/api/v1/assets/rawg%2Fgames/checks?limit=1')).body);
    expect(checks.results).toEqual([expect.objectContaining({ partition: DAY, status: 'passed' })]);
    const rest = CheckHistorySchema.parse((await get(`/api/v1/assets/rawg%2Fgames/checks?cursor=${checks.next}`)).body);
    expect(rest.next).toBeNull();
    expect(new Set([...checks.results, ...rest.results].map((r) => r.check))).toEqual(new Set(['ids_present_and_unique', 'not_empty']));
    expect(BackfillsSchema.parse((await get('/api/v1/backfills')).body)).toEqual({ backfills: [] });
    const lineage = LineageSchema.parse((await get('/api/v1/assets/marts%2Fdim_games/lineage?direction=upstream')).body);
    expect(lineage.upstream.map((a) => a.key)).toEqual(expect.arrayContaining(['staging/stg_rawg__games', 'rawg/games']));
    expect(lineage.downstream).toEqual([]);
    const both = LineageSchema.parse((await get('/api/v1/assets/marts%2Fdim_games/lineage')).body);
    expect(both.downstream.length).toBeGreaterThan(0);
    const columns = ColumnsSchema.parse((await get('/api/v1/assets/marts%2Fdim_games/columns')).body);
    expect(columns.columns.find((c) => c.column === 'metacritic')?.origins).toEqual(['raw.rawg_games.value→metacritic']);
  });

  it('answers bad input with the one error body and the right status', async () => {
    const expectError = (r: { status: number; body: unknown }, status: number, code: string) => {
      expect(r.status).toBe(status);
      expect(ErrorBodySchema.parse(r.body).error.code).toBe(code);
    };
    expectError(await get('/api/v1/assets/nope%2Fmissing'), 404, 'NOT_FOUND');
    expectError(await get('/api/v1/runs/20250101T000000Z-000000'), 404, 'NOT_FOUND');
    expectError(await get('/api/v1/runs/20250101T000000Z-000000/events'), 404, 'NOT_FOUND');
    expectError(await get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expectError(await get('/api/v1/backfills/bf-nope'), 404, 'NOT_FOUND');
    expectError(await get('/api/v1/assets/marts%2Fnope/lineage'), 400, 'USAGE');
    expectError(await get('/api/v1/runs?limit=0'), 400, 'BAD_REQUEST');
    expectError(await get('/api/v1/runs?status=exploded'), 400, 'BAD_REQUEST');
    expectError(await get('/api/v1/runs?cursor=garbage'), 400, 'USAGE');
    expectError(await get('/api/v1/assets?cursor=garbage'), 400, 'USAGE');
    const run = RunsPageSchema.parse((await get('/api/v1/runs')).body).runs[0]!;
    expectError(await get(`/api/v1/runs/${run.runId}/events?type=EXPLODED`), 400, 'BAD_REQUEST');
  });

  it('answers only its own host names (421 otherwise), refuses large bodies, and mutations when read-only', async () => {
    const port = new URL(server.url).port;
    expect((await rawRequest({ method: 'GET', path: '/api/v1/assets', host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await rawRequest({ method: 'GET', path: '/api/v1/assets', host: `localhost:${port}` })).status).toBe(200);
    const rebound = await rawRequest({ method: 'GET', path: '/api/v1/assets', host: 'evil.example:80' });
    expect(rebound.status).toBe(421);
    expect(ErrorBodySchema.parse(JSON.parse(rebound.body)).error.code).toBe('MISDIRECTED');
    const big = await rawRequest({ method: 'POST', path: '/api/v1/runs', host: `127.0.0.1:${port}`, headers: { 'content-type': 'application/json', 'content-length': '2000001' }, body: '' });
    expect(big.status).toBe(413);
    const refused = await fetch(`${readOnly.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('READ_ONLY');
  });

  it('sends a Content-Security-Policy with no external origin', async () => {
    const { headers } = await get('/api/v1/assets');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(headers.get('x-frame-options')).toBe('DENY');
  });

  it('publishes a valid OpenAPI 3.1 document and an offline reference', async () => {
    const { body } = await get('/api/v1/openapi.json');
    const result = await new Validator().validate(body as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    const paths = Object.keys((body as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/assets', '/api/v1/assets/{key}', '/api/v1/assets/{key}/partitions', '/api/v1/assets/{key}/lineage', '/api/v1/assets/{key}/columns', '/api/v1/assets/{key}/checks',
        '/api/v1/runs', '/api/v1/runs/{runId}', '/api/v1/runs/{runId}/events', '/api/v1/runs/{runId}/events/stream', '/api/v1/status', '/api/v1/budget', '/api/v1/schedules',
        '/api/v1/backfills', '/api/v1/backfills/{backfillId}',
      ]),
    );
    const docs = await get('/api/docs');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    for (const p of paths) expect(String(docs.body)).toContain(p);
    expect(String(docs.body)).not.toMatch(/src="https?:|href="https?:/);
    const island = await fetch(`${server.url}/static/api-docs.js`);
    expect(island.status).toBe(200);
    expect(island.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.url}/static/..%2Fpackage.json`)).status).toBe(404);
  });

  it('never shows the RAWG key in a response or the access log', () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) expect(b).not.toContain(KEY);
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) expect(line).not.toContain(KEY);
  });
});
