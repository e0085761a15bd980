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
 * Serves `items` as RAWG does: page-number envelopes, `next` echoing the key, 404 past the end.
 * `hold` keeps one page's answer back until another page has been answered.
 */
function rawgLike(items: unknown[], options: { hold?: { page: number; untilAnswered: number }; countOverride?: number } = {}) {
  let answered = (): void => undefined;
  const released = new Promise<void>((resolve) => (answered = resolve));
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
      if (page === options.hold?.untilAnswered) answered();
    };
    if (page === options.hold?.page) void released.then(reply);
    else reply();
  });
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
    server = await rawgLike(items, { hold: { page: 2, untilAnswered: 3 } });
    const { pages, attempts, result } = await collect(server.url, 20);
    expect(pages.map((p) => p.number)).toEqual([...Array(Math.ceil(items.length / 20)).keys()].map((i) => i + 1));
    expect(pages.flatMap((p) => p.results)).toEqual(items);
    expect(result).toEqual({ pages: pages.length, count: items.length, capped: false });
    expect(attempts).toBe(pages.length);
    expect(pages.every((p) => !p.url.includes('k-secret'))).toBe(true);
  });

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
