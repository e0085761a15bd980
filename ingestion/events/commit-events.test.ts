import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { listCommittedPartitions, LocalObjectStore, readRecords, type ObjectBody, type PutOptions } from '../../lake/index.js';
import { commitEventBatch, type LogEntry } from './commit-events.js';
import { checkEvent } from './contracts.js';

const clock = fixedClock('2026-12-03T12:00:00Z');
const at = new Date('2026-12-03T12:00:00Z');
const store = () => new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'gmp-events-lake-')));
const entry = (n: number, timestamp: string): LogEntry => {
  const c = checkEvent({ event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, event: 'view', user_id: 'u1', timestamp }, at, 'c1');
  if (!c.ok) throw new Error(c.failure.detail);
  return { kind: 'event', event: c.event };
};
const bad = (): LogEntry => {
  const c = checkEvent({ event: 'view' }, at, 'c1');
  if (c.ok) throw new Error('expected a failure');
  return { kind: 'failed', failure: c.failure };
};

async function all(s: LocalObjectStore, entity: string): Promise<{ dt: string; ids: string[] }[]> {
  const out: { dt: string; ids: string[] }[] = [];
  for (const m of await listCommittedPartitions(s, 'events', entity)) {
    const ids: string[] = [];
    for await (const r of readRecords(s, m)) ids.push(String(r.event_id ?? r.reason));
    out.push({ dt: m.dt, ids });
  }
  return out;
}

describe('commitEventBatch', () => {
  it('lands each event in its hour, failures by arrival, the too late apart; a replayed batch adds nothing', async () => {
    const s = store();
    const batch = { logId: 'log1', throughSegment: 3, entries: [entry(1, '2026-12-03T10:15:00Z'), entry(2, '2026-12-03T11:59:59Z'), entry(3, '2026-12-03T10:45:00Z'), entry(4, '2026-11-20T08:00:00Z'), bad()] };
    expect(await commitEventBatch(s, batch, { clock })).toEqual({ partitions: 3, skipped: 0, events: 3, failed: 1, tooLate: 1 });
    // A crash after the lake commit, before the checkpoint: the same batch again.
    expect(await commitEventBatch(s, batch, { clock })).toEqual({ partitions: 0, skipped: 3, events: 3, failed: 1, tooLate: 1 });
    expect(await all(s, 'events')).toEqual([
      { dt: '2026-12-03T10', ids: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003'] },
      { dt: '2026-12-03T11', ids: ['00000000-0000-4000-8000-000000000002'] },
    ]);
    expect(await all(s, 'failed_events')).toEqual([{ dt: '2026-12-03T12', ids: ['00000000-0000-4000-8000-000000000004', 'schema_violation'] }]);
    const [late] = await listCommittedPartitions(s, 'events', 'failed_events');
    const reasons: unknown[] = [];
    for await (const r of readRecords(s, late!)) reasons.push(r.reason);
    expect(reasons).toEqual(['too_late', 'schema_violation']);
  });

  it('commits the log’s lines as they are: the same partitions, files and records as the parsed entries', async () => {
    const entries = [entry(1, '2026-12-03T10:15:00Z'), entry(2, '2026-12-03T11:59:59.5+01:00'), entry(3, '2026-11-20T08:00:00Z'), bad()];
    const parsed = store();
    const lines = store();
    const asParsed = await commitEventBatch(parsed, { logId: 'log1', throughSegment: 1, entries }, { clock });
    const asLines = await commitEventBatch(lines, { logId: 'log1', throughSegment: 1, entries: entries.map((e) => JSON.stringify(e)) }, { clock });
    expect(asLines).toEqual(asParsed);
    expect(asLines).toMatchObject({ events: 2, failed: 1, tooLate: 1 });
    for (const entity of ['events', 'failed_events']) {
      const [a, b] = [await listCommittedPartitions(parsed, 'events', entity), await listCommittedPartitions(lines, 'events', entity)];
      expect(b.map((m) => [m.dt, m.records])).toEqual(a.map((m) => [m.dt, m.records]));
      for (const [i, m] of a.entries()) {
        const bytes = async (st: LocalObjectStore, key: string) => gunzipSync(await st.get(key)).toString('utf8');
        expect(await bytes(lines, b[i]!.files[0]!.key)).toBe(await bytes(parsed, m.files[0]!.key));
      }
    }
  });

  it('appends the next batch to an hour, and keeps each log’s mark apart', async () => {
    const s = store();
    await commitEventBatch(s, { logId: 'log1', throughSegment: 1, entries: [entry(1, '2026-12-03T10:00:00Z')] }, { clock });
    await commitEventBatch(s, { logId: 'log2', throughSegment: 1, entries: [entry(2, '2026-12-03T10:30:00Z')] }, { clock });
    await commitEventBatch(s, { logId: 'log1', throughSegment: 2, entries: [entry(3, '2026-12-03T10:40:00Z')] }, { clock });
    expect((await all(s, 'events'))[0]!.ids.map((id) => id.slice(-1))).toEqual(['1', '2', '3']);
    const [m] = await listCommittedPartitions(s, 'events', 'events');
    expect(m!.metadata.wal).toEqual({ log1: 2, log2: 1 });
    expect(m!.records).toBe(3);
  });

  it('redoes an append that lost the race for a new hour after the winner’s commit, keeping both', async () => {
    // The first manifest put waits until another one has landed: log1's commit then finds the hour taken.
    let holding = (): void => undefined;
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    let manifestPuts = 0;
    class RacingStore extends LocalObjectStore {
      override async put(key: string, body: ObjectBody, options?: PutOptions): Promise<void> {
        if (!key.endsWith('_manifest.json')) return super.put(key, body, options);
        const n = ++manifestPuts;
        if (n === 1) {
          holding();
          await released;
        }
        await super.put(key, body, options);
        if (n === 2) release();
      }
    }
    const s = new RacingStore(mkdtempSync(path.join(tmpdir(), 'gmp-events-lake-')));
    const first = commitEventBatch(s, { logId: 'log1', throughSegment: 1, entries: [entry(1, '2026-12-03T10:00:00Z')] }, { clock });
    await held;
    await commitEventBatch(s, { logId: 'log2', throughSegment: 1, entries: [entry(2, '2026-12-03T10:30:00Z')] }, { clock });
    expect(await first).toMatchObject({ partitions: 1, events: 1 });
    expect(manifestPuts).toBe(3);
    expect((await all(s, 'events'))[0]!.ids.map((id) => id.slice(-1)).sort()).toEqual(['1', '2']);
    const [m] = await listCommittedPartitions(s, 'events', 'events');
    expect(m!.metadata.wal).toEqual({ log1: 1, log2: 1 });
  });
});
