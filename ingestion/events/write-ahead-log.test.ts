import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteAheadLog } from './write-ahead-log.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'gmp-wal-'));

describe('WriteAheadLog', () => {
  it('resolves appends once synced, sharing one sync among appends that arrive together', async () => {
    const d = dir();
    const { wal, recovered } = await WriteAheadLog.open(d);
    expect(recovered).toEqual([]);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => wal.append([JSON.stringify({ i })])));
    expect(results.flat().map((r) => JSON.parse(r.json).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // 50 appends in the same turn share one write and one sync.
    expect(wal.stats()).toMatchObject({ records: 50, syncs: 1 });
    await wal.close();
  });

  it("keeps taking appends after a rotation of an empty segment (an idle collector's commit tick)", async () => {
    const { wal } = await WriteAheadLog.open(dir());
    await wal.rotate();
    await wal.rotate();
    const [record] = await wal.append(['{"after":"idle"}']);
    expect(record?.json).toBe('{"after":"idle"}');
    await wal.append(['{"again":true}']);
    expect(wal.stats().records).toBe(2);
    await wal.close();
  });

  it('replays every durable record after a reopen, in order, and drops a torn tail', async () => {
    const d = dir();
    const first = await WriteAheadLog.open(d);
    await first.wal.append(['{"a":1}', '{"a":2}']);
    await first.wal.append(['{"a":3}']);
    await first.wal.close();
    // A crash mid-write: half a line, and a line whose checksum does not match.
    const segment = readdirSync(d).find((f) => f.startsWith('wal-'))!;
    appendFileSync(path.join(d, segment), '0123abcd\t{"a":4}\n12345678\t{"a"');
    const second = await WriteAheadLog.open(d);
    expect(second.recovered.map((r) => r.json)).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    await second.wal.append(['{"a":5}']);
    await second.wal.close();
    const third = await WriteAheadLog.open(d);
    expect(third.recovered.map((r) => r.json)).toEqual(['{"a":1}', '{"a":2}', '{"a":3}', '{"a":5}']);
    // Released up to the active segment: the earlier ones are gone, nothing replays from them.
    await third.wal.release(third.wal.activeSegment());
    await third.wal.close();
    expect((await WriteAheadLog.open(d)).recovered).toEqual([]);
  });

  it('starts a new segment past its size, and replays across segments', async () => {
    const d = dir();
    const { wal } = await WriteAheadLog.open(d, { segmentBytes: 64 });
    for (let i = 0; i < 10; i++) await wal.append([JSON.stringify({ i, pad: 'x'.repeat(20) })]);
    await wal.close();
    expect(readdirSync(d).filter((f) => f.startsWith('wal-')).length).toBeGreaterThan(3);
    const again = await WriteAheadLog.open(d);
    expect(again.recovered.map((r) => JSON.parse(r.json).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await again.wal.close();
  });

  it('rotates between groups while appends keep arriving, losing and failing none', async () => {
    const d = dir();
    const { wal } = await WriteAheadLog.open(d);
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      // An append made the moment another resolves, while a rotation waits: the rotation must not
      // close the segment under it (it did: 'file closed', and the log refused every later append).
      const later = wal.append([`{"a":${i}}`]).then(() => wal.append([`{"b":${i}}`]));
      await Promise.all([later, wal.rotate()]);
      expected.push(`{"a":${i}}`, `{"b":${i}}`);
    }
    expect(wal.stats().records).toBe(40);
    await wal.close();
    const again = await WriteAheadLog.open(d);
    expect(again.recovered.map((r) => r.json)).toEqual(expected);
    await again.wal.close();
  });
});
