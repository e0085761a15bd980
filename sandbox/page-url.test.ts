import { describe, expect, it } from 'vitest';
import { pageUrl } from './page-url.js';

describe('pageUrl', () => {
  it('echoes every parameter sorted by name, like the recorded RAWG links', () => {
    const params = new URLSearchParams('page_size=20&page=1&ordering=-rating&platforms=4&publishers=354&genres=4&key=REDACTED');
    expect(pageUrl('https://api.rawg.io/api/games', params, 2)).toBe(
      'https://api.rawg.io/api/games?genres=4&key=REDACTED&ordering=-rating&page=2&page_size=20&platforms=4&publishers=354',
    );
  });

  it('keeps blank values and percent-encodes like Python quote_plus', () => {
    const params = new URLSearchParams('key=REDACTED&dates=2023-01-01,2024-01-01&page_size=5&ordering=&search=a b');
    expect(pageUrl('https://api.rawg.io/api/games', params, 2)).toBe(
      'https://api.rawg.io/api/games?dates=2023-01-01%2C2024-01-01&key=REDACTED&ordering=&page=2&page_size=5&search=a+b',
    );
  });

  it('drops page for the first page', () => {
    expect(pageUrl('http://h/api/games', new URLSearchParams('key=k&page=2'), null)).toBe('http://h/api/games?key=k');
  });
});
