import { describe, expect, it } from 'vitest';
import {
  entityPrefix,
  invalidFileKey,
  manifestKey,
  parseLakeKey,
  partFileKey,
  partitionPrefix,
  runPrefix,
} from './layout.js';

describe('lake layout', () => {
  it('spells every key of the contract', () => {
    expect(entityPrefix('rawg', 'games')).toBe('raw/rawg/games/');
    expect(partitionPrefix('rawg', 'games', '2024-05-01')).toBe('raw/rawg/games/dt=2024-05-01/');
    expect(runPrefix('rawg', 'games', '2024-05-01', 'r-1_A')).toBe('raw/rawg/games/dt=2024-05-01/run=r-1_A/');
    expect(partFileKey('rawg', 'games', '2024-05-01', 'r1', 0)).toBe('raw/rawg/games/dt=2024-05-01/run=r1/part-00000.jsonl.gz');
    expect(partFileKey('rawg', 'games', '2024-05-01', 'r1', 42)).toBe('raw/rawg/games/dt=2024-05-01/run=r1/part-00042.jsonl.gz');
    expect(invalidFileKey('rawg', 'games', '2024-05-01', 'r1', 3)).toBe(
      'raw/rawg/games/dt=2024-05-01/run=r1/invalid-00003.jsonl.gz',
    );
    expect(manifestKey('rawg', 'game_series', '2024-02-29')).toBe('raw/rawg/game_series/dt=2024-02-29/_manifest.json');
  });

  it.each([
    ['source', () => entityPrefix('Rawg', 'games')],
    ['source', () => entityPrefix('ra-wg', 'games')],
    ['source', () => entityPrefix('', 'games')],
    ['entity', () => entityPrefix('rawg', 'games/x')],
    ['entity', () => entityPrefix('rawg', '../games')],
    ['dt', () => partitionPrefix('rawg', 'games', '2024-02-30')],
    ['dt', () => partitionPrefix('rawg', 'games', '2023-02-29')],
    ['dt', () => partitionPrefix('rawg', 'games', '2024-5-01')],
    ['dt', () => partitionPrefix('rawg', 'games', '2024-05-01T00:00:00Z')],
    ['run id', () => runPrefix('rawg', 'games', '2024-05-01', 'a/b')],
    ['run id', () => runPrefix('rawg', 'games', '2024-05-01', '')],
    ['run id', () => runPrefix('rawg', 'games', '2024-05-01', 'run.1')],
    ['file index', () => partFileKey('rawg', 'games', '2024-05-01', 'r1', -1)],
  ])('rejects an invalid %s', (what, make) => {
    expect(make).toThrow(expect.objectContaining({ code: 'LAKE_IO', retryable: false }));
    expect(make).toThrow(what);
  });

  it('names an hourly partition by its hour, and refuses an hour that is not one', () => {
    expect(manifestKey('events', 'events', '2026-12-03T14')).toBe('raw/events/events/dt=2026-12-03T14/_manifest.json');
    expect(parseLakeKey('raw/events/events/dt=2026-12-03T14/run=log1-3/part-00000.jsonl.gz')).toEqual({ kind: 'run-file', source: 'events', entity: 'events', dt: '2026-12-03T14', runId: 'log1-3', file: 'part-00000.jsonl.gz' });
    expect(() => manifestKey('events', 'events', '2026-12-03T24')).toThrow(/expected a real YYYY-MM-DD day or YYYY-MM-DDTHH hour/);
    expect(parseLakeKey('raw/events/events/dt=2026-02-30T10/_manifest.json')).toBeUndefined();
  });

  it('parses keys of the layout and ignores others', () => {
    expect(parseLakeKey('raw/rawg/games/dt=2024-05-01/_manifest.json')).toEqual({
      kind: 'manifest',
      source: 'rawg',
      entity: 'games',
      dt: '2024-05-01',
    });
    expect(parseLakeKey('raw/rawg/games/dt=2024-05-01/run=abc/part-00001.jsonl.gz')).toEqual({
      kind: 'run-file',
      source: 'rawg',
      entity: 'games',
      dt: '2024-05-01',
      runId: 'abc',
      file: 'part-00001.jsonl.gz',
    });
    expect(parseLakeKey('raw/rawg/games/dt=2024-02-30/_manifest.json')).toBeUndefined();
    expect(parseLakeKey('raw/rawg/games/dt=2024-05-01/run=abc/nested/file')).toBeUndefined();
    expect(parseLakeKey('raw/rawg/games/notes.txt')).toBeUndefined();
    expect(parseLakeKey('other/rawg/games/dt=2024-05-01/_manifest.json')).toBeUndefined();
  });
});
