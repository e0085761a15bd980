import { afterEach, describe, expect, it } from 'vitest';
import { CanceledError, HttpError, clearSecrets, createPrng, registerSecret } from '../../core/index.js';
import { freePort, sendJson, startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { createHttpClient, parseRetryAfter } from './http-client.js';
import { createTokenBucket, type MonotonicClock } from './token-bucket.js';

/** A clock that moves only when the test advances it; `sleeping()` resolves once someone waits on it. */
function manualClock(): MonotonicClock & { advance(ms: number): void; sleeping(): Promise<void> } {
  let now = 0;
  let sleepers: { at: number; resolve: () => void }[] = [];
  let onSleep: (() => void) | undefined;
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        const sleeper = { at: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', () => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(new CanceledError());
        }, { once: true });
        onSleep?.();
      });
    },
    advance(ms) {
      now += ms;
      const due = sleepers.filter((s) => s.at <= now);
      sleepers = sleepers.filter((s) => s.at > now);
      for (const s of due) s.resolve();
    },
    sleeping() {
      if (sleepers.length > 0) return Promise.resolve();
      return new Promise<void>((resolve) => (onSleep = () => ((onSleep = undefined), resolve())));
    },
  };
}

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
    const controller = new AbortController();
    // The server never answers; the caller gives up once the request has arrived.
    server = await startTestServer(() => controller.abort());
    const pending = client(server.url, { timeoutMs: 10_000 }).getJson('/x', {}, { signal: controller.signal });
    await expect(pending).rejects.toBeInstanceOf(CanceledError);
  });

  it('sends no request beyond the rate limit: a burst, then one per token the clock refills', async () => {
    const clock = manualClock();
    server = await startTestServer((_req, res) => sendJson(res, 200, { ok: true }));
    const paced = client(server.url, { requestsPerSecond: 2, concurrency: 4, clock });
    const calls = [1, 2, 3, 4, 5].map((i) => paced.getJson('/x', { i }));
    // A full bucket holds one second's worth: two requests go at once; the clock stands still, so
    // the third waits for a token and the others wait behind it.
    await Promise.all(calls.slice(0, 2));
    await clock.sleeping();
    expect(server.requests).toHaveLength(2);
    clock.advance(499);
    await clock.sleeping();
    expect(server.requests).toHaveLength(2);
    clock.advance(1);
    await calls[2];
    expect(server.requests).toHaveLength(3);
    clock.advance(1000);
    await Promise.all(calls);
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('i')).sort()).toEqual(['1', '2', '3', '4', '5']);
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
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 2, clock });
    await bucket.take();
    await bucket.take();
    let granted = false;
    const third = bucket.take().then(() => (granted = true));
    await clock.sleeping();
    clock.advance(99);
    await clock.sleeping();
    expect(granted).toBe(false);
    clock.advance(1); // one token refilled at 10/s
    await third;
    expect(granted).toBe(true);
  });

  it('never grants more than burst + rate × span, whatever the clock does, and keeps the pace', async () => {
    const prng = createPrng(8);
    for (const { rate, burst } of [{ rate: 20, burst: 5 }, { rate: 1000, burst: 1 }, { rate: 3, burst: 3 }]) {
      const clock = manualClock();
      const bucket = createTokenBucket({ ratePerSecond: rate, burst, clock });
      const granted: number[] = [];
      const takes = Array.from({ length: 200 }, () => bucket.take().then(() => void granted.push(clock.now())));
      const all = Promise.all(takes);
      let done = false;
      void all.then(() => (done = true));
      // Late, early, and very late wake-ups: steps of 1 to 300 ms.
      while (!done) {
        await Promise.race([clock.sleeping(), all]);
        if (!done) clock.advance(1 + Math.floor(prng() * (prng() < 0.1 ? 300 : 20)));
      }
      expect(granted).toHaveLength(200);
      for (const [i, start] of granted.entries()) {
        for (const span of [0, 1, 10, 100, 1000, 5000]) {
          const within = granted.slice(i).filter((t) => t <= start + span).length;
          expect(within).toBeLessThanOrEqual(burst + (span * rate) / 1000);
        }
      }
      // The limit itself: the last of 200 tokens comes no sooner than (200 − burst) / rate.
      expect(granted.at(-1)).toBeGreaterThanOrEqual(((200 - burst) / rate) * 1000);
    }
  });

  it('cancels a waiting take when its signal aborts, and serves the next one', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSecond: 1, burst: 1, clock });
    await bucket.take();
    const controller = new AbortController();
    const canceled = bucket.take(controller.signal);
    const next = bucket.take();
    await clock.sleeping();
    controller.abort();
    await expect(canceled).rejects.toBeInstanceOf(CanceledError);
    await clock.sleeping();
    clock.advance(1000);
    await next;
  });
});
