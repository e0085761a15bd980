import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from './index.js';
import type { Sandbox } from './index.js';

type Json = Record<string, unknown>;

// Fixtures are read by the tests only: the sandbox itself never touches them.
const fixture = (path: string): Json =>
  JSON.parse(readFileSync(new URL(`../tests/fixtures/rawg/${path}`, import.meta.url), 'utf8')) as Json;
const keys = (value: unknown): string[] => Object.keys(value as Json);
const first = (value: unknown): Json => (value as Json[])[0] as Json;
const results = (body: Json): Json[] => body.results as Json[];

describe('sandbox response shapes match the recorded RAWG responses', () => {
  let sandbox: Sandbox;
  const get = async (path: string): Promise<Json> => {
    const res = await fetch(`${sandbox.url}${path}${path.includes('?') ? '&' : '?'}key=test-key`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ asOf: '2026-11-21' });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('full shape: unfiltered /games envelope and items', async () => {
    const real = fixture('games/list-marcoaoteixeira-default.json');
    const ours = await get('/games?page_size=40');
    expect(keys(ours)).toEqual(keys(real));
    expect(keys((ours.filters as Json).years)).toBeDefined();
    expect(keys(first((ours.filters as Json).years))).toEqual(keys(first((real.filters as Json).years)));
    expect(keys(first(first((ours.filters as Json).years).years))).toEqual(keys(first(first((real.filters as Json).years).years)));
    const realItem = first(real.results);
    for (const item of results(ours)) expect(keys(item)).toEqual(keys(realItem));
    const item = results(ours).find((g) => (g.platforms as Json[]).length > 0 && (g.stores as Json[]).length > 0 && g.esrb_rating !== null && (g.tags as Json[]).length > 0) as Json;
    expect(keys(first(item.platforms))).toEqual(keys(first(realItem.platforms)));
    expect(keys(first(item.platforms).platform)).toEqual(keys(first(realItem.platforms).platform));
    expect(keys(first(item.stores))).toEqual(keys(first(realItem.stores)));
    expect(keys(first(item.stores).store)).toEqual(keys(first(realItem.stores).store));
    expect(keys(first(item.genres))).toEqual(keys(first(realItem.genres)));
    expect(keys(first(item.tags))).toEqual(keys(first(realItem.tags)));
    expect(keys(first(item.parent_platforms).platform)).toEqual(keys(first(realItem.parent_platforms).platform));
    expect(keys(item.esrb_rating)).toEqual(keys(realItem.esrb_rating));
    expect(keys(first(item.short_screenshots))).toEqual(keys(first(realItem.short_screenshots)));
    expect(first(item.short_screenshots).id).toBe(-1);
    expect(keys(first(item.ratings))).toEqual(keys(first(realItem.ratings)));
  });

  it('slim shape: filtered /games envelope and items (with and without community_rating)', async () => {
    const real = fixture('games/list-search-jeshibu-doom-2022.json');
    const realPlain = results(real).find((g) => !('community_rating' in g)) as Json;
    const realCommunity = results(real).find((g) => 'community_rating' in g) as Json;
    const ours = await get('/games?search=a&page_size=40');
    expect(keys(ours)).toEqual(keys(real));
    expect(ours.user_platforms).toBe(false);
    const items = results(ours);
    for (const item of items) expect(keys(item)).toEqual(keys('community_rating' in item ? realCommunity : realPlain));
    expect(items.some((g) => 'community_rating' in g)).toBe(true);
    expect(items.every((g) => typeof g.score === 'string' && /^\d+(\.\d+)?$/.test(g.score))).toBe(true);
    const item = items.find((g) => g.stores !== null && g.esrb_rating !== null && (g.tags as Json[]).length > 0) as Json;
    expect(keys(first(item.platforms))).toEqual(keys(first(realPlain.platforms)));
    expect(keys(first(item.platforms).platform)).toEqual(keys(first(realPlain.platforms).platform));
    expect(keys(first(item.stores))).toEqual(keys(first(realPlain.stores)));
    expect(keys(first(item.stores).store)).toEqual(keys(first(realPlain.stores).store));
    expect(keys(first(item.genres))).toEqual(keys(first(realPlain.genres)));
    expect(keys(first(item.tags))).toEqual(keys(first(realPlain.tags)));
    const realEsrb = results(real).find((g) => g.esrb_rating !== null)?.esrb_rating;
    expect(keys(item.esrb_rating)).toEqual(keys(realEsrb));
  });

  it('slim shape for updated/dates filters, score null without search, stores sometimes null', async () => {
    const real = fixture('games/list-fedinyak-2023-filtered-pc-ea-action.json');
    const ours = await get('/games?updated=2026-11-01,2026-11-21&ordering=-updated&page_size=40');
    expect(keys(ours)).toEqual(keys(real));
    const realItem = first(real.results);
    for (const item of results(ours)) {
      if (!('community_rating' in item)) expect(keys(item)).toEqual(keys(realItem));
      expect(item.score).toBeNull();
    }
    // By name, not the default -added: the most added games are the ones stores sell.
    const many = await get('/games?dates=2015-01-01,2025-12-31&ordering=name&page_size=40');
    expect(results(many).some((g) => g.stores === null)).toBe(true);
  });

  it('game detail by id and by slug', async () => {
    const real = fixture('games/detail-marcoaoteixeira-gta5.json');
    const id = sandbox.catalogue.idOf(5);
    const byId = await get(`/games/${id}`);
    expect(keys(byId)).toEqual(keys(real));
    const bySlug = await get(`/games/${String(byId.slug)}`);
    expect(bySlug).toEqual(byId);
    for (const field of ['platforms', 'stores', 'developers', 'publishers', 'genres', 'tags', 'parent_platforms'] as const) {
      const ours = byId[field] as Json[];
      if (ours.length > 0) expect(keys(ours[0]), field).toEqual(keys(first(real[field])));
    }
    expect(keys(first(real.platforms).platform)).toEqual(keys(first(byId.platforms).platform));
    expect(byId.reddit_name).toBe('');
    expect(typeof byId.description_raw).toBe('string');
  });

  it('taxonomy lists and details', async () => {
    const cases = [
      ['genres', 'genres/list-marcoaoteixeira.json', 'genres/detail-marcoaoteixeira-indie.json', 19],
      ['platforms', 'platforms/list-marcoaoteixeira.json', 'platforms/detail-marcoaoteixeira-pc.json', 51],
      ['stores', 'stores/list-marcoaoteixeira.json', 'stores/detail-marcoaoteixeira-steam.json', 10],
      ['tags', 'tags/list-marcoaoteixeira.json', 'tags/detail-marcoaoteixeira-singleplayer.json', undefined],
      ['developers', 'developers/list-marcoaoteixeira.json', 'developers/detail-marcoaoteixeira-ubisoft.json', 3000],
      ['publishers', 'publishers/list-marcoaoteixeira.json', 'publishers/detail-marcoaoteixeira-ea.json', 1000],
    ] as const;
    for (const [path, list, detail, count] of cases) {
      const real = fixture(list);
      const ours = await get(`/${path}`);
      expect(keys(ours), path).toEqual(keys(real));
      expect(results(ours).length, path).toBe(results(real).length);
      if (count !== undefined) expect(ours.count, path).toBe(count);
      expect(keys(first(ours.results)), path).toEqual(keys(first(real.results)));
      const sample = first(first(ours.results).games);
      expect(keys(sample), path).toEqual(keys(first(first(real.results).games)));
      const ourDetail = await get(`/${path}/${String(first(ours.results).id)}`);
      expect(keys(ourDetail), path).toEqual(keys(fixture(detail)));
    }
    const tags = await get('/tags?page_size=40&search=%D0');
    expect(tags.count).toBe(0);
    const rus = await get('/tags?page_size=40&search=%D1%88%D1%83%D1%82%D0%B5%D1%80'); // "шутер"
    expect(results(rus).every((t) => t.language === 'rus')).toBe(true);
    expect(results(rus).length).toBeGreaterThan(0);
    const allTags = await get('/tags');
    expect(allTags.count).toBeGreaterThanOrEqual(550);
  });

  it('parent platforms and creator roles', async () => {
    const parents = fixture('platforms-lists-parents/list-marcoaoteixeira.json');
    const ours = await get('/platforms/lists/parents');
    expect(ours.count).toBe(14);
    expect(keys(first(ours.results))).toEqual(keys(first(parents.results)));
    expect(keys(first(first(ours.results).platforms))).toEqual(keys(first(first(parents.results).platforms)));
    const roles = fixture('creator-roles/list-marcoaoteixeira.json');
    expect(await get('/creator-roles')).toEqual(roles);
  });

  it('uses the real genre ids and slugs', async () => {
    const real = fixture('genres/list-marcoaoteixeira.json');
    const ours = await get('/genres');
    const pick = (body: Json): string[] => results(body).map((g) => `${String(g.id)}:${String(g.slug)}:${String(g.name)}`);
    expect(pick(ours)).toEqual(pick(real));
  });
});
