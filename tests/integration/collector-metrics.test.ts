import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startCollector, type RunningCollector } from '../../server/index.js';
import { freePort } from '../helpers/test-server.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { tempDir } from '../helpers/workspace.js';

const running: RunningCollector[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const c of running) await c.close();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

const logger = createLogger({ destination: { write: () => undefined } });
async function collect(env: Record<string, string> = {}, host = '127.0.0.1'): Promise<RunningCollector> {
  const home = tempDir('gmp-metrics-collect-');
  const ws = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_EVENTS_COMMIT_SECONDS: '0', ...env } });
  const c = await startCollector({ ws, host, port: 0, logger });
  running.push(c);
  return c;
}
const event = (extra: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  event: 'view',
  user_id: 'player-1',
  game_id: 3498,
  timestamp: new Date().toISOString(),
  properties: { referrer_page: '/explore' },
  ...extra,
});
const post = (url: string, route: string, body: unknown) => fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
async function scrape(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('gmp collect: /metrics', () => {
  it('counts what was sent: accepted, duplicates, failed by reason, HTTP by route pattern, the WAL and the lake commits', async () => {
    const c = await collect();
    const good = [event(), event(), event()];
    const batch = await post(c.url, '/v1/batch', { batch: [...good, { ...good[0] }, { event: 'view' }] });
    expect(await batch.json()).toMatchObject({ accepted: 3, duplicates: 1 });
    expect((await post(c.url, '/events/view', event())).status).toBe(202);
    expect((await post(c.url, '/events/purchase_typo', event())).status).toBe(400);
    expect((await post(c.url, '/v1/track', '{not json')).status).toBe(400);

    const before = await scrape(c.url);
    expect(sampleValue(before, 'gmp_collector_events_accepted_total')).toBe(4);
    expect(sampleValue(before, 'gmp_collector_events_duplicate_total')).toBe(1);
    const failed = before.get('gmp_collector_events_failed_total')!;
    expect(failed.type).toBe('counter');
    expect(Object.fromEntries(failed.samples.map((s) => [s.labels.reason, s.value]))).toEqual({ schema_violation: 1, invalid_json: 1 });
    expect(sampleValue(before, 'gmp_collector_wal_backlog_bytes')).toBeGreaterThan(0);
    expect(sampleValue(before, 'gmp_collector_wal_oldest_entry_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(before, 'gmp_collector_lake_commits_total')).toBe(0);
    expect(sampleValue(before, 'gmp_collector_lake_last_commit_timestamp_seconds')).toBe(0);
    // The route pattern, never the raw path: both typed events count under /events/:type.
    expect(sampleValue(before, 'gmp_http_requests_total', { route: '/events/:type', method: 'POST', status: '202' })).toBe(1);
    expect(sampleValue(before, 'gmp_http_requests_total', { route: '/events/:type', method: 'POST', status: '400' })).toBe(1);
    expect(sampleValue(before, 'gmp_http_requests_total', { route: '/v1/batch', status: '200' })).toBe(1);
    expect(before.get('gmp_http_requests_total')!.samples.some((s) => s.labels.route!.includes('purchase_typo'))).toBe(false);
    expect(sampleValue(before, 'gmp_http_request_duration_seconds', { route: '/events/:type' }, 'gmp_http_request_duration_seconds_count')).toBe(2);
    // This scrape is the one request in flight.
    expect(sampleValue(before, 'gmp_http_requests_in_flight')).toBe(1);

    await c.collector.commit();
    const after = await scrape(c.url);
    expect(sampleValue(after, 'gmp_collector_lake_commits_total')).toBe(1);
    // Four events and two failures reached the lake; nothing waits, so no lag.
    expect(sampleValue(after, 'gmp_collector_lake_committed_entries_total')).toBe(6);
    expect(sampleValue(after, 'gmp_collector_wal_backlog_bytes')).toBe(0);
    expect(sampleValue(after, 'gmp_collector_lake_commit_lag_seconds')).toBe(0);
    expect(sampleValue(after, 'gmp_collector_lake_last_commit_timestamp_seconds')).toBeGreaterThan(0);
    expect(sampleValue(after, 'gmp_http_requests_total', { route: '/metrics', status: '200' })).toBe(1);
  });

  it('answers /readyz 503 while the lake cannot be reached, then 200', async () => {
    const port = await freePort();
    const c = await collect({
      GMP_LAKE_URL: 's3://gmp-lake/events',
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'canary-secret-readyz-5d1',
      RAWG_MAX_RETRIES: '0',
    });
    const down = await fetch(`${c.url}/readyz`);
    const body = await down.text();
    expect(down.status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ status: 'not ready', checks: { wal: 'writable', lake: expect.stringMatching(/^unreachable/) } });
    expect(body).not.toContain('canary-secret-readyz-5d1');
    // An S3 endpoint appears: it answers the probe's HEAD (no such key, as S3 says it).
    const s3 = createServer((req, res) => {
      res.writeHead(404, { 'x-amz-request-id': 'probe' });
      res.end();
    });
    servers.push(s3);
    await new Promise<void>((resolve) => s3.listen(port, '127.0.0.1', resolve));
    const up = await fetch(`${c.url}/readyz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ status: 'ready', checks: { wal: 'writable', lake: 'reachable' } });
  });

  it('beyond loopback, /metrics needs a write key (GMP_COLLECT_WRITE_KEY here), as sending does', async () => {
    const key = 'canary-write-key-metrics-7f3a21';
    const c = await collect({ GMP_COLLECT_WRITE_KEY: key }, '0.0.0.0');
    const local = c.url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${local}/metrics`)).status).toBe(401);
    expect((await fetch(`${local}/metrics`, { headers: { authorization: 'Bearer not-the-key-at-all' } })).status).toBe(401);
    const families = await scrape(local, { authorization: `Bearer ${key}` });
    expect(sampleValue(families, 'gmp_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
    const sent = await fetch(`${local}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(event()) });
    expect(sent.status).toBe(200);
  });
});
