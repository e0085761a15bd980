import { describe, expect, it } from 'vitest';
import { parseLandedRecords } from './commit-landed-records.js';

describe('parseLandedRecords', () => {
  it('reads one record a line, taking the API’s arrival time from its wrapper', () => {
    const text = '{"received_at":1764763200000,"event":{"event":"view","n":1}}\n{"event":"click","n":2}\n\n';
    expect(parseLandedRecords(text)).toEqual([
      { ok: true, raw: { event: 'view', n: 1 }, receivedAt: new Date('2025-12-03T12:00:00.000Z') },
      { ok: true, raw: { event: 'click', n: 2 }, receivedAt: undefined },
    ]);
  });

  it('separates records Firehose wrote back to back without a newline, braces in strings included', () => {
    const text = '{"event":"view","q":"a}{b"}{"received_at":"2025-12-03T12:00:00Z","event":{"event":"click"}}';
    expect(parseLandedRecords(text)).toEqual([
      { ok: true, raw: { event: 'view', q: 'a}{b' }, receivedAt: undefined },
      { ok: true, raw: { event: 'click' }, receivedAt: new Date('2025-12-03T12:00:00Z') },
    ]);
  });

  it('returns what is not JSON with its text, and keeps the good records around it', () => {
    const text = '{"event":"view"}\n{"event":"cli\n{"event":"click"}{"trunc';
    expect(parseLandedRecords(text)).toEqual([
      { ok: true, raw: { event: 'view' }, receivedAt: undefined },
      { ok: false, text: '{"event":"cli' },
      { ok: true, raw: { event: 'click' }, receivedAt: undefined },
      { ok: false, text: '{"trunc' },
    ]);
  });

  it('takes an object with more than the wrapper’s fields as an event, not a wrapper', () => {
    const value = { received_at: 1, event: { a: 1 }, user_id: 'u' };
    expect(parseLandedRecords(JSON.stringify(value))).toEqual([{ ok: true, raw: value, receivedAt: undefined }]);
  });
});
