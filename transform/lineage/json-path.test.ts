import { describe, expect, it } from 'vitest';
import { formatJsonPath, joinJsonPath, parseJsonPath } from './json-path.js';

describe('JSON paths', () => {
  it('parses DuckDB path constants into segments', () => {
    expect(parseJsonPath('$.metacritic')).toEqual(['metacritic']);
    expect(parseJsonPath('$.platform.id')).toEqual(['platform', 'id']);
    expect(parseJsonPath('$.genres[*].id')).toEqual(['genres', '[*]', 'id']);
    expect(parseJsonPath('$."odd key"[2]')).toEqual(['odd key', '[2]']);
    expect(parseJsonPath('/a/b')).toEqual(['a', 'b']);
    expect(parseJsonPath('name')).toEqual(['name']);
    expect(parseJsonPath(3)).toEqual(['[3]']);
    expect(parseJsonPath('$.a..b')).toBeNull();
  });

  it('formats and joins field paths', () => {
    expect(formatJsonPath(['genres', '[*]', 'id'])).toBe('genres[*].id');
    expect(formatJsonPath([])).toBeUndefined();
    expect(joinJsonPath('genres', '[*].id')).toBe('genres[*].id');
    expect(joinJsonPath('esrb_rating', 'slug')).toBe('esrb_rating.slug');
    expect(joinJsonPath(undefined, 'x')).toBe('x');
  });
});
