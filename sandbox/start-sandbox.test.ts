import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from './index.js';
import type { Sandbox } from './index.js';

type Json = Record<string, unknown>;
interface Page {
  count: number;
  next: string | null;
  previous: string | null;
  results: Json[];
}

const AS_OF = '2026-11-21';

describe('startSandbox: the RAWG API', () => {
  let sandbox: Sandbox;
  const raw = (path: string): Promise<Response> => fetch(`${sandbox.url}${path}`);
  const page = async (path: string): Promise<Page> => {
    const res = await raw(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return (await res.json()) as Page;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ asOf: AS_OF });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('starts a default (20k) catalogue and serves it (bench/sandbox.ts times the start)', async () => {
    expect(sandbox.catalogue.size).toBe(20_000);
    expect((await fetch(`${sandbox.url}/games?key=k&page_size=40`)).status).toBe(200);
  });

  it('serves on loopback under /api', () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}/api`);
  });

  it('answers byte-identical pages for the same options', async () => {
    const other = await startSandbox({ asOf: AS_OF });
    try {
      for (const path of ['/games?key=k&page=2', '/games?key=k&updated=2026-11-20,2026-11-20&ordering=-updated&page_size=40', `/games/${sandbox.catalogue.idOf(3)}?key=k`, '/tags?key=k&page=7']) {
        const a = await (await raw(path)).text();
        const b = await (await fetch(`${other.url}${path}`)).text();
        // Links carry each server's own port; everything else must match byte for byte.
        // Only the host:port of links is replaced: a bare port number can also occur inside the data.
        expect(a.replaceAll(`127.0.0.1:${sandbox.port}`, '127.0.0.1:PORT')).toBe(b.replaceAll(`127.0.0.1:${other.port}`, '127.0.0.1:PORT'));
      }
    } finally {
      await other.close();
    }
  });

  it('returns exactly the games updated on a day across all pages, without duplicates', async () => {
    const day = '2026-11-19';
    const seen: number[] = [];
    let url: string | null = `${sandbox.url}/games?key=k&updated=${day},${day}&ordering=-updated&page_size=40`;
    let last = '9999';
    while (url !== null) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Page;
      for (const game of body.results) {
        expect(String(game.updated).slice(0, 10)).toBe(day);
        expect(String(game.updated) <= last).toBe(true);
        last = String(game.updated);
        seen.push(game.id as number);
      }
      url = body.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(sandbox.catalogue.idsUpdatedOn(day));
    expect(seen.length).toBeGreaterThanOrEqual(100);
  });

  it('filters by release dates, several ranges joined by "."', async () => {
    const body = await page('/games?key=k&dates=2020-01-01,2020-01-31.2021-06-01,2021-06-30&ordering=released&page_size=40');
    expect(body.count).toBeGreaterThan(0);
    for (const g of body.results) {
      const r = String(g.released);
      expect((r >= '2020-01-01' && r <= '2020-01-31') || (r >= '2021-06-01' && r <= '2021-06-30')).toBe(true);
    }
    const dates = body.results.map((g) => String(g.released));
    expect(dates).toEqual([...dates].sort());
  });

  it('requires a key on every API route', async () => {
    for (const path of ['/games', '/games/1', '/genres', '/nope']) {
      const res = await raw(path);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'The key parameter is not provided' });
    }
    expect((await raw('/games?key=')).status).toBe(401);
  });

  it('accepts only the configured key when one is set', async () => {
    const locked = await startSandbox({ asOf: AS_OF, games: 100, apiKey: 'secret-key' });
    try {
      const bad = await fetch(`${locked.url}/games?key=other`);
      expect(bad.status).toBe(401);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^Invalid API key\./);
      expect((await fetch(`${locked.url}/games?key=secret-key`)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('answers 404 "Invalid page." past the end, and 200 with count 0 for an empty first page', async () => {
    const first = await page('/games?key=k&page_size=40');
    const lastPage = Math.ceil(first.count / 40);
    expect((await page(`/games?key=k&page_size=40&page=${lastPage}`)).next).toBeNull();
    for (const p of [String(lastPage + 1), '0', 'abc']) {
      const res = await raw(`/games?key=k&page_size=40&page=${p}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: 'Invalid page.' });
    }
    const empty = await page('/games?key=k&search=zzzzzz-no-such-game');
    expect(empty).toEqual({ count: 0, next: null, previous: null, results: [], user_platforms: false });
    expect((await raw('/games?key=k&search=zzzzzz-no-such-game&page=2')).status).toBe(404);
  });

  it('answers 404 "Not found." for unknown ids and slugs', async () => {
    for (const path of ['/games/999999999?key=k', '/games/no-such-slug?key=k', '/genres/12345?key=k', '/nope?key=k']) {
      const res = await raw(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: 'Not found.' });
    }
  });

  it('clamps page_size to 1..40 and defaults to 20', async () => {
    expect((await page('/games?key=k')).results).toHaveLength(20);
    expect((await page('/games?key=k&page_size=1000')).results).toHaveLength(40);
    expect((await page('/games?key=k&page_size=0')).results).toHaveLength(1);
    expect((await page('/developers?key=k')).results).toHaveLength(10);
  });

  it('echoes every query parameter, the key included, in next/previous', async () => {
    const host = `127.0.0.1:${sandbox.port}`;
    const body = await page('/games?updated=2026-11-01,2026-11-21&key=my-secret-key&page_size=5&ordering=-updated&page=2');
    expect(body.next).toBe(`http://${host}/api/games?key=my-secret-key&ordering=-updated&page=3&page_size=5&updated=2026-11-01%2C2026-11-21`);
    expect(body.previous).toBe(`http://${host}/api/games?key=my-secret-key&ordering=-updated&page_size=5&updated=2026-11-01%2C2026-11-21`);
    const third = await page('/games?key=my-secret-key&page=3');
    expect(third.previous).toBe(`http://${host}/api/games?key=my-secret-key&page=2`);
  });

  it('orders stably, ties broken by id', async () => {
    for (const ordering of ['name', '-name', 'released', '-released', 'added', '-added', 'created', 'updated', '-updated', 'rating', '-rating', 'metacritic', '-metacritic']) {
      const body = await page(`/games?key=k&ordering=${ordering}&page_size=40&dates=2019-01-01,2019-12-31`);
      const field = ordering.replace('-', '');
      const desc = ordering.startsWith('-');
      const values = body.results.map((g) => (field === 'created' ? (g.id as number) : g[field]));
      for (let k = 1; k < values.length; k++) {
        const [a, b] = [values[k - 1], values[k]];
        if (a === null || b === null) {
          expect(b, `${ordering}: nulls sort last`).toBeNull();
          continue;
        }
        const cmp = typeof a === 'string' ? (a < String(b) ? -1 : a > String(b) ? 1 : 0) : (a as number) - (b as number);
        if (cmp === 0) expect((body.results[k - 1]?.id as number) < (body.results[k]?.id as number)).toBe(true);
        else expect(desc ? cmp > 0 : cmp < 0, `${ordering}: ${String(a)} vs ${String(b)}`).toBe(true);
      }
    }
  });

  it('filters by search, genres and platforms (ids or slugs)', async () => {
    const search = await page('/games?key=k&search=DRAGON&page_size=40');
    expect(search.count).toBeGreaterThan(0);
    for (const g of search.results) expect(String(g.name).toLowerCase()).toContain('dragon');
    const byId = await page('/games?key=k&genres=4&page_size=40');
    const bySlug = await page('/games?key=k&genres=action&page_size=40');
    expect(bySlug.results).toEqual(byId.results);
    for (const g of byId.results) expect((g.genres as Json[]).map((x) => x.id)).toContain(4);
    const platforms = await page('/games?key=k&platforms=187,186&page_size=40');
    for (const g of platforms.results) expect((g.platforms as { platform: Json }[]).some((p) => p.platform.id === 187 || p.platform.id === 186)).toBe(true);
    expect((await page('/games?key=k&genres=99999')).count).toBe(0);
  });

  it('rejects a malformed date range with 400', async () => {
    const res = await raw('/games?key=k&updated=2026-11-01');
    expect(res.status).toBe(400);
  });

  it('exposes the catalogue to tests and counts requests', async () => {
    const before = sandbox.stats();
    await page('/genres?key=k');
    const after = sandbox.stats();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.byPath['/api/genres']).toBe((before.byPath['/api/genres'] ?? 0) + 1);
    const remote = (await (await fetch(`http://127.0.0.1:${sandbox.port}/__sandbox/stats`)).json()) as { requests: number };
    expect(remote.requests).toBe(after.requests);
    const info = (await (await fetch(`http://127.0.0.1:${sandbox.port}/__sandbox/catalogue/updated?day=${AS_OF}`)).json()) as { ids: number[] };
    expect(info.ids).toEqual(sandbox.catalogue.idsUpdatedOn(AS_OF));
  });
});
