import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/index.js';
import { collectGarbage } from './collect-garbage.js';
import { LocalObjectStore } from './local-object-store.js';
import { openPartitionWriter } from './partition-writer.js';
import { readManifest, readRecords } from './partition-reader.js';

let dir: string;
let store: LocalObjectStore;

async function commit(dt: string, runId: string, count: number) {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt, runId, maxRecordsPerFile: 2 });
  for (let i = 0; i < count; i++) await writer.write({ id: i, runId });
  return writer.commit({ pages: 1, requests: 1 });
}

async function keys(prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of store.list(prefix)) out.push(entry.key);
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gmp-gc-'));
  store = new LocalObjectStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collectGarbage', () => {
  it('deletes superseded and uncommitted runs, keeping the committed one and other files', async () => {
    await commit('2024-05-01', 'old', 3);
    const live = await commit('2024-05-01', 'new', 3);
    await commit('2024-05-02', 'only', 1);
    await store.put('raw/rawg/games/dt=2024-05-03/run=orphan/part-00000.jsonl.gz', 'x');
    await store.put('raw/rawg/games/dt=2024-05-01/notes.txt', 'kept: not a run file');
    await store.put('raw/rawg/genres/dt=2024-05-01/run=old/part-00000.jsonl.gz', 'other entity');

    const report = await collectGarbage({ store, source: 'rawg', entity: 'games' });
    expect(report.deletedKeys).toEqual([
      'raw/rawg/games/dt=2024-05-01/run=old/part-00000.jsonl.gz',
      'raw/rawg/games/dt=2024-05-01/run=old/part-00001.jsonl.gz',
      'raw/rawg/games/dt=2024-05-03/run=orphan/part-00000.jsonl.gz',
    ]);
    expect(report.deletedBytes).toBeGreaterThan(0);
    expect(await keys()).toEqual([
      'raw/rawg/games/dt=2024-05-01/_manifest.json',
      'raw/rawg/games/dt=2024-05-01/notes.txt',
      'raw/rawg/games/dt=2024-05-01/run=new/part-00000.jsonl.gz',
      'raw/rawg/games/dt=2024-05-01/run=new/part-00001.jsonl.gz',
      'raw/rawg/games/dt=2024-05-02/_manifest.json',
      'raw/rawg/games/dt=2024-05-02/run=only/part-00000.jsonl.gz',
      'raw/rawg/genres/dt=2024-05-01/run=old/part-00000.jsonl.gz',
    ]);
    // The local store prunes the emptied run folders.
    expect(await readdir(path.join(dir, 'raw/rawg/games/dt=2024-05-01'))).toEqual(['_manifest.json', 'notes.txt', 'run=new']);
    expect(await readManifest(store, 'rawg', 'games', '2024-05-01')).toEqual(live);
    let count = 0;
    for await (const _ of readRecords(store, live)) count++;
    expect(count).toBe(3);
    expect((await collectGarbage({ store, source: 'rawg', entity: 'games' })).deletedKeys).toEqual([]);
  });

  it('limits itself to one partition when dt is given', async () => {
    await commit('2024-05-01', 'old', 1);
    await commit('2024-05-01', 'new', 1);
    await commit('2024-05-02', 'old', 1);
    await commit('2024-05-02', 'new', 1);
    const report = await collectGarbage({ store, source: 'rawg', entity: 'games', dt: '2024-05-02' });
    expect(report.deletedKeys).toEqual(['raw/rawg/games/dt=2024-05-02/run=old/part-00000.jsonl.gz']);
    expect(await keys('raw/rawg/games/dt=2024-05-01/run=old/')).toHaveLength(1);
  });

  it('spares runs younger than olderThanMs (a writer may still be filling them)', async () => {
    await commit('2024-05-01', 'old', 1);
    await commit('2024-05-01', 'new', 1);
    const now = Date.now();
    const young = await collectGarbage({
      store,
      source: 'rawg',
      entity: 'games',
      olderThanMs: 60_000,
      clock: fixedClock(new Date(now)),
    });
    expect(young.deletedKeys).toEqual([]);
    const later = await collectGarbage({
      store,
      source: 'rawg',
      entity: 'games',
      olderThanMs: 60_000,
      clock: fixedClock(new Date(now + 120_000)),
    });
    expect(later.deletedKeys).toEqual(['raw/rawg/games/dt=2024-05-01/run=old/part-00000.jsonl.gz']);
  });

  it('deletes nothing in a partition whose manifest is corrupt', async () => {
    await commit('2024-05-01', 'old', 1);
    await commit('2024-05-01', 'new', 1);
    await store.put('raw/rawg/games/dt=2024-05-01/_manifest.json', '{');
    expect((await collectGarbage({ store, source: 'rawg', entity: 'games' })).deletedKeys).toEqual([]);
  });

  it('keeps every run an appended partition (an hour of events) still names', async () => {
    const append = async (runId: string, n: number) => {
      const writer = await openPartitionWriter({ store, source: 'events', entity: 'events', dt: '2024-05-01T10', runId, append: true });
      await writer.write({ event_id: String(n) });
      return writer.commit({ pages: 0, requests: 0 });
    };
    await append('log1-1', 1);
    const manifest = await append('log1-2', 2);
    await store.put('raw/events/events/dt=2024-05-01T10/run=killed/part-00000.jsonl.gz', 'x');
    const report = await collectGarbage({ store, source: 'events', entity: 'events' });
    expect(report.deletedKeys).toEqual(['raw/events/events/dt=2024-05-01T10/run=killed/part-00000.jsonl.gz']);
    const ids: unknown[] = [];
    for await (const r of readRecords(store, manifest)) ids.push(r.event_id);
    expect(ids).toEqual(['1', '2']);
  });
});
