import { describe, expect, it } from 'vitest';
import { fixtureFiles, gameFixtureItems, readFixture } from '../../../tests/helpers/fixtures.js';
import { GAME_ITEM, PARENT_PLATFORM_ITEM, PLATFORM_ITEM, TAXONOMY_ITEM } from './item-schemas.js';

describe('RAWG item schemas on the recorded responses', () => {
  const games = gameFixtureItems();

  it('accept every real /games list item and detail, both shapes', () => {
    expect(games.length).toBeGreaterThan(100);
    const failures = games
      .map(({ file, item }) => ({ file, id: item.id, result: GAME_ITEM.safeParse(item) }))
      .filter((r) => !r.result.success)
      .map((r) => `${r.file}#${String(r.id)}: ${r.result.error?.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`);
    expect(failures).toEqual([]);
  });

  it('keep unknown fields (schema drift is normal)', () => {
    const withScore = games.find(({ item }) => 'score' in item && 'user_game' in item)!;
    const parsed = GAME_ITEM.parse({ ...withScore.item, brand_new_field: { x: 1 } }) as Record<string, unknown>;
    expect(parsed.brand_new_field).toEqual({ x: 1 });
    expect(parsed.score).toEqual(withScore.item.score);
  });

  it('reject items without an id or with a wrong-typed id', () => {
    expect(GAME_ITEM.safeParse({ slug: 'x', name: 'x' }).success).toBe(false);
    expect(GAME_ITEM.safeParse({ id: '12', slug: 'x', name: 'x' }).success).toBe(false);
  });

  it.each([
    ['genres', TAXONOMY_ITEM],
    ['stores', TAXONOMY_ITEM],
    ['tags', TAXONOMY_ITEM],
    ['developers', TAXONOMY_ITEM],
    ['publishers', TAXONOMY_ITEM],
    ['creator-roles', TAXONOMY_ITEM],
    ['platforms', PLATFORM_ITEM],
    ['platforms-lists-parents', PARENT_PLATFORM_ITEM],
  ])('accept every %s list item', (folder, schema) => {
    for (const file of fixtureFiles(folder).filter((f) => f.includes('/list-'))) {
      const body = readFixture(file) as { results: unknown[] };
      for (const item of body.results) expect(schema.safeParse(item).success, `${file}`).toBe(true);
    }
  });
});
