import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/index.js';
import { parseFaultSpecs } from './parse-fault-specs.js';

describe('parseFaultSpecs', () => {
  it('parses the CLI syntax', () => {
    expect(parseFaultSpecs('429x2,503x3,500,truncate,malformed,hang,latency=20')).toEqual([
      { type: 'status', status: 429, times: 2 },
      { type: 'status', status: 503, times: 3 },
      { type: 'status', status: 500 },
      { type: 'truncate' },
      { type: 'malformed' },
      { type: 'hang' },
      { type: 'latency', ms: 20 },
    ]);
  });

  it('reads Retry-After seconds and a path filter', () => {
    expect(parseFaultSpecs(' 429x2:retry=5@/games , hang@/genres')).toEqual([
      { type: 'status', status: 429, times: 2, retryAfterSeconds: 5, path: '/games' },
      { type: 'hang', path: '/genres' },
    ]);
  });

  it('accepts an empty string', () => {
    expect(parseFaultSpecs('')).toEqual([]);
  });

  it('rejects unknown kinds and zero counts', () => {
    expect(() => parseFaultSpecs('418')).toThrow(UsageError);
    expect(() => parseFaultSpecs('500x0')).toThrow(/at least 1/);
    expect(() => parseFaultSpecs('hang:retry=3')).toThrow(/retry/);
  });
});
