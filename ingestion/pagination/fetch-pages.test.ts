import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../core/index.js';
import { gameFixtureItems } from '../../tests/helpers/fixtures.js';
import { sendJson, startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { createHttpClient } from '../http/index.js';
import { fetchPages, type FetchedPage } from './fetch-pages.js';
import { lastPlannedPage } from './page-number-paginator.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Serves `items` as RAWG does: page-number envelopes, `next` echoing the key, 404 past the end. A
 * page that `hold` gives a promise for is answered once it settles; `onAnswer` hears each answer.
 */
function rawgLike(items: unknown[], options: { hold?: (page: number) => Promise<void> | undefined; onAnswer?: (page: number) => void; countOverride?: number } = {}) {
  return startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('page_size') ?? 20);
    const slice = items.slice((page - 1) * size, page * size);
    const reply = () => {
      if (page > 1 && slice.length === 0) return sendJson(res, 404, { detail: 'Invalid page.' });
      const more = page * size < items.length;
      const next = more ? `http://x/api/games?key=${url.searchParams.get('key')}&page=${page + 1}` : null;
      sendJson(res, 200, { count: options.countOverride ?? items.length, next, previous: null, results: slice });
      options.onAnswer?.(page);
    };
    const held = options.hold?.(page);
    if (held === undefined) reply();
    else void held.then(reply);
  });
}

/** A promise the test opens. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const clientFor = (url: string) =>
  createHttpClient({ baseUrl: url, apiKey: 'k-secret', timeoutMs: 2000, maxRetries: 0, requestsPerSecond: 1000, concurrency: 8 });

async function collect(url: string, pageSize: number, extra: { maxPages?: number; concurrency?: number } = {}) {
  const pages: FetchedPage[] = [];
  let attempts = 0;
  const result = await fetchPages({
    client: clientFor(url),
    path: '/games',
    params: { ordering: '-updated' },
    paginator: { type: 'page_number', pageSize, ...(extra.maxPages ? { maxPages: extra.maxPages } : {}) },
    concurrency: extra.concurrency ?? 4,
    onAttempt: () => attempts++,
    onPage: async (p) => {
      pages.push(p);
    },
  });
  return { pages, attempts, result };
}

describe('fetchPages', () => {
  const items = gameFixtureItems().map((g) => g.item);

  it('delivers every recorded item once, in page order, even when later pages answer first', async () => {
    const page2 = gate();
    server = await rawgLike(items, { hold: (page) => (page === 2 ? page2.promise : undefined), onAnswer: (page) => page === 3 && page2.open() });
    const { pages, attempts, result } = await collect(server.url, 20);
    expect(pages.map((p) => p.number)).toEqual([...Array(Math.ceil(items.length / 20)).keys()].map((i) => i + 1));
    expect(pages.flatMap((p) => p.results)).toEqual(items);
    expect(result).toEqual({ pages: pages.length, count: items.length, capped: false });
    expect(attempts).toBe(pages.length);
    expect(pages.every((p) => !p.url.includes('k-secret'))).toBe(true);
  });

  it('keeps every slot busy while an earlier page is slow', async () => {
    // Concurrency 2: pages 2 and 3 start; page 2 answers only once page 5 was asked for, which
    // needs the slots pages 3 and 4 freed to start 4 and 5 while page 2 is still out.
    const page2 = gate();
    const answered: number[] = [];
    server = await rawgLike(items, {
      hold: (page) => {
        if (page === 5) page2.open();
        return page === 2 ? page2.promise : undefined;
      },
      onAnswer: (page) => answered.push(page),
    });
    const { pages, attempts } = await collect(server.url, 5, { concurrency: 2 });
    expect(pages.map((p) => p.number)).toEqual([...Array(Math.ceil(items.length / 5)).keys()].map((i) => i + 1));
    expect(attempts).toBe(pages.length);
    expect(answered.indexOf(4)).toBeLessThan(answered.indexOf(2));
  }, 10_000);

  it('treats 404 past page 1 as the end when count overstates the list', async () => {
    server = await rawgLike(items.slice(0, 30), { countOverride: 100 });
    const { pages } = await collect(server.url, 10);
    expect(pages.flatMap((p) => p.results)).toHaveLength(30);
  });

  it('keeps following `next` when the list grew after page 1', async () => {
    server = await rawgLike(items.slice(0, 50), { countOverride: 20 });
    const { pages } = await collect(server.url, 10);
    expect(pages.flatMap((p) => p.results)).toHaveLength(50);
  });

  it('stops at maxPages and says it was capped', async () => {
    server = await rawgLike(items, {});
    const { pages, result } = await collect(server.url, 10, { maxPages: 3 });
    expect(pages).toHaveLength(3);
    expect(result.capped).toBe(true);
  });

  it('returns an empty walk for an empty list', async () => {
    server = await rawgLike([]);
    const { pages, result } = await collect(server.url, 10);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.results).toEqual([]);
    expect(result.pages).toBe(1);
  });

  it('fails on a malformed envelope with a clear error', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, { count: 'many', results: {} }));
    const error = await collect(server.url, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe('HTTP_BAD_BODY');
    expect((error as Error).message).toMatch(/not a list page/);
  });

  it('plans the last page from count and the cap', () => {
    expect(lastPlannedPage({ type: 'page_number', pageSize: 40 }, 81)).toBe(3);
    expect(lastPlannedPage({ type: 'page_number', pageSize: 40, maxPages: 2 }, 81)).toBe(2);
    expect(lastPlannedPage({ type: 'page_number', pageSize: 40 }, 0)).toBe(1);
  });
});
