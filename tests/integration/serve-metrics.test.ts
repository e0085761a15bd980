import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken, materialize, type RunSummary, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'canary-rawg-key-metrics-4e1b';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let runs: RunSummary[];

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  runs = [await materialize(ws, { select: 'rawg/games', partition: '2025-06-26' }), await materialize(ws, { select: 'rawg/games', partition: '2025-06-27' })];
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ destination: { write: () => undefined } }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

async function scrape(headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text).not.toContain(KEY);
  return parsePrometheusText(text);
}

describe('gmp serve: /metrics', () => {
  it('exposes HTTP by route pattern, runs and steps by status, step durations, RAWG requests against the budget and partition lag', async () => {
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    for (const r of runs) expect((await fetch(`${server.url}/api/v1/runs/${r.runId}`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/no-such-route`)).status).toBe(404);

    const m = await scrape();
    expect(sampleValue(m, 'gmp_pipeline_state_up')).toBe(1);
    expect(sampleValue(m, 'gmp_runs', { status: 'succeeded' })).toBe(2);
    expect(sampleValue(m, 'gmp_runs', { status: 'failed' })).toBe(0);
    const steps = runs.flatMap((r) => r.steps);
    expect(sampleValue(m, 'gmp_steps', { status: 'succeeded' })).toBe(steps.length);
    expect(sampleValue(m, 'gmp_step_duration_seconds', { kind: 'ingestion', status: 'succeeded' }, 'gmp_step_duration_seconds_count')).toBe(steps.length);
    // Every request the two runs made was charged to the sandbox endpoint's ledger.
    const spent = runs.reduce((n, r) => n + r.requests, 0);
    expect(spent).toBeGreaterThan(0);
    expect(sampleValue(m, 'gmp_rawg_requests', { period: 'month' })).toBe(spent);
    expect(sampleValue(m, 'gmp_rawg_request_budget', { period: 'month' })).toBe(20_000);
    expect(sampleValue(m, 'gmp_rawg_requests_remaining')).toBe(20_000 - spent);
    // Yesterday is 2025-06-29; the newest partition of rawg/games is 2025-06-27.
    expect(sampleValue(m, 'gmp_partition_lag_days', { asset: 'rawg/games' })).toBe(2);
    // Route patterns, never raw paths (run ids would make a series per run).
    const routes = new Set(m.get('gmp_http_requests_total')!.samples.map((s) => s.labels.route));
    expect([...routes].some((r) => r!.includes(runs[0]!.runId))).toBe(false);
    const runRoute = [...routes].find((r) => r!.startsWith('/api/v1/runs/:'))!;
    expect(sampleValue(m, 'gmp_http_requests_total', { route: runRoute, method: 'GET', status: '200' })).toBe(2);
    expect(sampleValue(m, 'gmp_http_request_duration_seconds', { route: runRoute }, 'gmp_http_request_duration_seconds_count')).toBe(2);
    expect(sampleValue(m, 'gmp_http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
  });

  it('sits behind the same sign-in as the API once accounts exist: a bearer token works', async () => {
    await addUser(ws, { name: 'prom', role: 'viewer', password: 'canary-password-metrics-9' });
    // A 401 like the API's, not the sign-in page's redirect: a scraper must see it fail.
    const refused = await fetch(`${server.url}/metrics`, { redirect: 'manual' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const { token } = await createToken(ws, { user: 'prom', name: 'prometheus', expiresDays: 30 });
    const m = await scrape({ authorization: `Bearer ${token}` });
    expect(sampleValue(m, 'gmp_http_requests_total', { route: '/metrics', status: '401' })).toBe(1);
  });
});
