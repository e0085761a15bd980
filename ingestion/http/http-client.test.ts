import { afterEach, describe, expect, it } from 'vitest';
import { CanceledError, HttpError, clearSecrets, registerSecret } from '../../core/index.js';
import { freePort, sendJson, startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { createHttpClient, parseRetryAfter } from './http-client.js';
import { createTokenBucket } from './token-bucket.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  clearSecrets();
});

const client = (url: string, extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({
    baseUrl: `${url}/api`,
    apiKey: 'the-secret-key',
    timeoutMs: 2000,
    maxRetries: 4,
    requestsPerSecond: 1000,
    concurrency: 4,
    backoff: { baseMs: 5, maxMs: 20 },
    ...extra,
  });

describe('http client', () => {
  it('sends the key, returns the body, and reports a key-free URL', async () => {
    server = await startTestServer((req, res) => sendJson(res, 200, { url: req.url }));
    const res = await client(server.url).getJson<{ url: string }>('/games', { page: 2 });
    expect(res.body.url).toBe('/api/games?page=2&key=the-secret-key');
    expect(res.url).toBe(`${server.url}/api/games?page=2`);
  });

  it('retries 429 and 5xx honouring Retry-After, then succeeds', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n === 1) return sendJson(res, 429, { detail: 'slow down' }, { 'retry-after': '0' });
      if (n === 2) return sendJson(res, 503, { detail: 'unavailable' });
      sendJson(res, 200, { ok: true });
    });
    let attempts = 0;
    const res = await client(server.url).getJson('/x', {}, { onAttempt: () => attempts++ });
    expect(res.body).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    expect(attempts).toBe(3);
  });

  it('retries a truncated body and a malformed body', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"count": 1, "res');
        res.socket?.destroy();
        return;
      }
      if (n === 2) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"count": 1,');
      }
      sendJson(res, 200, { count: 1 });
    });
    const res = await client(server.url).getJson('/x', {});
    expect(res.attempts).toBe(3);
  });

  it('gives up after maxRetries with a retryable HttpError carrying the status, key redacted', async () => {
    registerSecret('the-secret-key');
    server = await startTestServer((_req, res) => sendJson(res, 502, { detail: 'bad gateway key=the-secret-key' }));
    const error = await client(server.url, { maxRetries: 2 }).getJson('/x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(502);
    expect(server.requests).toHaveLength(3);
    expect(JSON.stringify((error as HttpError).toJSON()) + (error as Error).message).not.toContain('the-secret-key');
  });

  it('treats 401 as fatal with a hint about the key', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 401, { error: 'The key parameter is not provided' }));
    const error = (await client(server.url).getJson('/x', {}).catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe('HTTP_UNAUTHORIZED');
    expect(error.hint).toMatch(/RAWG_API_KEY/);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a hanging request and retries it', async () => {
    server = await startTestServer((_req, res, n) => {
      if (n === 1) return; // hang
      sendJson(res, 200, { ok: 1 });
    });
    const res = await client(server.url, { timeoutMs: 150 }).getJson('/x', {});
    expect(res.attempts).toBe(2);
  });

  it('stops at once when the caller aborts', async () => {
    server = await startTestServer(() => undefined);
    const controller = new AbortController();
    const pending = client(server.url, { timeoutMs: 10_000 }).getJson('/x', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(CanceledError);
  });

  it('fails fast with a network error naming the cause when nothing listens', async () => {
    const error = (await client(`http://127.0.0.1:${await freePort()}`, { maxRetries: 0 }).getJson('/x', {}).catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.retryable).toBe(true);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('token bucket', () => {
  it('admits a burst and then paces to the rate', async () => {
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 2, now: () => now });
    await bucket.take();
    await bucket.take();
    const third = bucket.take();
    let done = false;
    void third.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    now = 100; // one token refilled at 10/s
    await third;
    expect(done).toBe(true);
  });
});
