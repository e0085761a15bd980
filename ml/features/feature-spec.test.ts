import { describe, expect, it } from 'vitest';
import { buildFeatureSpec, datasetFingerprint, encodeRow, encodeRows } from './feature-spec.js';

const rows = [
  { game_id: 1, release_year: 2020, metacritic: null, genres: 'action|rpg', parent_platforms: 'pc', top_tags: null, esrb_rating: 'mature' },
  { game_id: 2, release_year: 2021, metacritic: 88, genres: 'puzzle', parent_platforms: 'pc|xbox', top_tags: 'singleplayer', esrb_rating: null },
];

describe('feature spec', () => {
  it('keeps numeric columns, one indicator per categorical value seen, and missing as NaN', () => {
    const spec = buildFeatureSpec(rows);
    expect(spec.numeric).toEqual(['release_year', 'metacritic']);
    expect(spec.names).toEqual([
      'release_year', 'metacritic',
      'genres=action', 'genres=puzzle', 'genres=rpg',
      'parent_platforms=pc', 'parent_platforms=xbox',
      'top_tags=singleplayer',
      'esrb_rating=mature',
    ]);
    expect(Array.from(encodeRows(spec, rows))).toEqual([2020, Number.NaN, 1, 0, 1, 1, 0, 0, 1, 2021, 88, 0, 1, 0, 1, 1, 1, 0]);
    // A value the spec never saw adds nothing (batch scoring); the numeric part still counts.
    expect(Array.from(encodeRow(spec, { release_year: '2022', genres: 'racing', metacritic: 'n/a' }))).toEqual([2022, Number.NaN, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('fingerprints the training set: same data, same print; one label changed, another', () => {
    const spec = buildFeatureSpec(rows);
    const x = encodeRows(spec, rows);
    const a = datasetFingerprint(spec.names, x, new Float32Array([3.5, 4]));
    expect(datasetFingerprint(spec.names, x, new Float32Array([3.5, 4]))).toBe(a);
    expect(datasetFingerprint(spec.names, x, new Float32Array([3.5, 4.1]))).not.toBe(a);
  });
});
