import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox } from './index.js';
import type { Sandbox } from './index.js';

describe('sandbox fault injection', () => {
  let sandbox: Sandbox;
  const games = (): string => `${sandbox.url}/games?key=k&page_size=40`;
  const control = (path: string, init?: RequestInit): Promise<Response> => fetch(`http://127.0.0.1:${sandbox.port}/__sandbox/${path}`, init);

  beforeAll(async () => {
    sandbox = await startSandbox({ asOf: '2026-11-21', games: 2_000 });
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.faults.setLatency(0);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('answers queued status faults in FIFO order, each `times` times, then recovers', async () => {
    sandbox.faults.push({ type: 'status', status: 429, times: 2, retryAfterSeconds: 3 }, { type: 'status', status: 503 });
    const first = await fetch(games());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(((await first.json()) as { detail: string }).detail).toMatch(/throttled/);
    expect((await fetch(games())).status).toBe(429);
    const third = await fetch(games());
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBeNull();
    await third.body?.cancel();
    expect((await fetch(games())).status).toBe(200);
    expect(sandbox.faults.pending()).toEqual([]);
  });

  it('sends Retry-After with any status fault that sets retryAfterSeconds, not only 429', async () => {
    sandbox.faults.push({ type: 'status', status: 503, retryAfterSeconds: 7 }, { type: 'status', status: 502, retryAfterSeconds: 0 });
    const unavailable = await fetch(games());
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '7']);
    expect(await unavailable.json()).toEqual({ detail: 'Service temporarily unavailable, try again later.' });
    const gateway = await fetch(games());
    expect([gateway.status, gateway.headers.get('retry-after'), gateway.headers.get('content-type')]).toEqual([502, '0', 'text/html']);
    await gateway.body?.cancel();
  });

  it('serves 502/504 as HTML gateway pages and 500 as JSON', async () => {
    sandbox.faults.push({ type: 'status', status: 502 }, { type: 'status', status: 504 }, { type: 'status', status: 500 });
    const bad = await fetch(games());
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toBe('text/html');
    expect(await bad.text()).toContain('502 Bad Gateway');
    expect((await fetch(games())).status).toBe(504);
    const err = await fetch(games());
    expect(err.status).toBe(500);
    expect(await err.json()).toEqual({ detail: 'A server error occurred.' });
  });

  it('applies a fault only to requests whose path contains its filter', async () => {
    sandbox.faults.push({ type: 'status', status: 500, path: '/genres' });
    expect((await fetch(games())).status).toBe(200);
    expect((await fetch(`${sandbox.url}/genres?key=k`)).status).toBe(500);
    expect((await fetch(`${sandbox.url}/genres?key=k`)).status).toBe(200);
  });

  it('truncate: announces the full Content-Length, sends about half, then drops the connection', async () => {
    const full = await fetch(games());
    const length = Number(full.headers.get('content-length'));
    expect(length).toBe((await full.arrayBuffer()).byteLength);
    sandbox.faults.push({ type: 'truncate' });
    const cut = await fetch(games());
    expect(cut.status).toBe(200);
    expect(Number(cut.headers.get('content-length'))).toBe(length);
    await expect(cut.arrayBuffer()).rejects.toThrow();
  });

  it('malformed: 200 with a broken JSON body and a truthful Content-Length', async () => {
    sandbox.faults.push({ type: 'malformed' });
    const res = await fetch(games());
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(() => JSON.parse(body.toString('utf8')) as unknown).toThrow();
  });

  /** Two requests to `server`, settled as 'answered' or 'failed'. */
  const twoRequests = (server: Sandbox): Promise<string[]> =>
    Promise.all(
      [1, 2].map(() =>
        fetch(`${server.url}/games?key=k`).then(
          () => 'answered',
          () => 'failed',
        ),
      ),
    );

  it('hang: never answers, and close() does not wait for the hung requests (bench/sandbox.ts times it)', async () => {
    const hanging = await startSandbox({ asOf: '2026-11-21', games: 100, faults: [{ type: 'hang', times: 2 }] });
    const pending = twoRequests(hanging);
    // Both requests reached the sandbox and took the fault: from here they can only end by close().
    await vi.waitFor(() => expect(hanging.stats().faultsInjected).toBe(2));
    await hanging.close();
    expect(await pending).toEqual(['failed', 'failed']);
  });

  it('holds every response for the latency (bench/sandbox.ts measures how exactly)', async () => {
    const slow = await startSandbox({ asOf: '2026-11-21', games: 100, latencyMs: 3_600_000 });
    const pending = twoRequests(slow);
    // Received, and still unanswered when the sandbox closes an hour of latency early.
    await vi.waitFor(() => expect(slow.stats().requests).toBe(2));
    await slow.close();
    expect(await pending).toEqual(['failed', 'failed']);
  });

  it('is driven over HTTP by the control API, which needs no key', async () => {
    const posted = await control('faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ type: 'status', status: 503, times: 2 }, { type: 'latency', ms: 5 }]),
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ pending: [{ type: 'status', status: 503, times: 2 }], latencyMs: 5 });
    const before = sandbox.stats().faultsInjected;
    expect((await fetch(games())).status).toBe(503);
    expect(sandbox.stats().faultsInjected).toBe(before + 1);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(games())).status).toBe(200);
    const invalid = await control('faults', { method: 'POST', body: JSON.stringify([{ type: 'status', status: 418 }]) });
    expect(invalid.status).toBe(400);
    const stats = (await (await control('stats')).json()) as { requests: number; faultsInjected: number; byPath: Record<string, number> };
    expect(stats).toEqual(sandbox.stats());
    expect(stats.byPath['/__sandbox/stats']).toBeUndefined();
  });

  it('rejects invalid initial faults', async () => {
    await expect(startSandbox({ games: 10, faults: [{ type: 'status', status: 404 as 500 }] })).rejects.toThrow(/invalid sandbox fault/);
  });
});
