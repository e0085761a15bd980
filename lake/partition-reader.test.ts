import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.js';
import { openPartitionWriter } from './partition-writer.js';
import { listCommittedPartitions, readManifest, readRecords } from './partition-reader.js';

let dir: string;
let store: LocalObjectStore;

async function commit(entity: string, dt: string, runId: string, ids: number[]) {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity, dt, runId });
  for (const id of ids) await writer.write({ id, dt });
  return writer.commit({ pages: 1, requests: 1 });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gmp-reader-'));
  store = new LocalObjectStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('partition readers', () => {
  it('finds nothing in an empty or missing lake', async () => {
    const missing = new LocalObjectStore(path.join(dir, 'does-not-exist'));
    expect(await readManifest(missing, 'rawg', 'games', '2024-05-01')).toBeUndefined();
    expect(await listCommittedPartitions(missing, 'rawg', 'games')).toEqual([]);
  });

  it('lists committed partitions sorted by dt, skipping uncommitted runs and other entities', async () => {
    await commit('games', '2024-05-03', 'a', [3]);
    await commit('games', '2024-05-01', 'a', [1]);
    await commit('games', '2024-05-01', 'b', [10, 11]);
    await commit('genres', '2024-05-02', 'a', [99]);
    // A run that never committed: files but no manifest.
    await store.put('raw/rawg/games/dt=2024-05-02/run=x/part-00000.jsonl.gz', gzipSync('{"id":2}\n'));
    // A look-alike entity that shares the prefix string.
    await commit('games_extra', '2024-05-04', 'a', [4]);

    const manifests = await listCommittedPartitions(store, 'rawg', 'games');
    expect(manifests.map((m) => [m.dt, m.run_id, m.records])).toEqual([
      ['2024-05-01', 'b', 2],
      ['2024-05-03', 'a', 1],
    ]);
    const records = [];
    for (const manifest of manifests) records.push(...(await collect(readRecords(store, manifest))));
    expect(records).toEqual([
      { id: 10, dt: '2024-05-01' },
      { id: 11, dt: '2024-05-01' },
      { id: 3, dt: '2024-05-03' },
    ]);
  });

  it('reports a corrupt manifest as LAKE_CORRUPT naming the key', async () => {
    const key = 'raw/rawg/games/dt=2024-05-01/_manifest.json';
    await store.put(key, 'not json');
    await expect(readManifest(store, 'rawg', 'games', '2024-05-01')).rejects.toMatchObject({
      code: 'LAKE_CORRUPT',
      retryable: false,
      message: expect.stringContaining(key),
    });
    await store.put(key, JSON.stringify({ format: 1, source: 'rawg' }));
    await expect(readManifest(store, 'rawg', 'games', '2024-05-01')).rejects.toMatchObject({ code: 'LAKE_CORRUPT' });
    await expect(listCommittedPartitions(store, 'rawg', 'games')).rejects.toMatchObject({ code: 'LAKE_CORRUPT' });
  });

  it('rejects a manifest that describes another partition', async () => {
    const manifest = await commit('games', '2024-05-01', 'a', [1]);
    await store.put('raw/rawg/games/dt=2024-05-02/_manifest.json', JSON.stringify(manifest));
    await expect(readManifest(store, 'rawg', 'games', '2024-05-02')).rejects.toMatchObject({ code: 'LAKE_CORRUPT' });
  });

  it('reports a data file that is not what its manifest records as LAKE_FILE_DAMAGED, naming it and its repair', async () => {
    const manifest = await commit('games', '2024-05-01', 'a', [1, 2, 3]);
    const file = manifest.files[0]!;
    const local = store.localPathFor(file.key);
    const bytes = await readFile(local);
    // Same size, one byte flipped: only the checksum tells.
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(local, bytes);
    await expect(collect(readRecords(store, manifest))).rejects.toMatchObject({
      code: 'LAKE_FILE_DAMAGED',
      message: `damaged lake file ${file.key} (${local}): its SHA-256 is not the one its manifest records`,
      hint: expect.stringContaining('`gmp lake repair rawg/games --partition 2024-05-01`'),
      context: { lakeKey: file.key, location: local, repair: 'gmp lake repair rawg/games --partition 2024-05-01' },
    });
    await store.put(file.key, 'short');
    await expect(collect(readRecords(store, manifest))).rejects.toThrow(`damaged lake file ${file.key} (${local}): it has 5 bytes, its manifest says ${file.bytes}`);
  });

  it('reports corrupt data files of manifests without checksums (older lakes) as LAKE_CORRUPT', async () => {
    const committed = await commit('games', '2024-05-01', 'a', [1]);
    const key = committed.files[0]?.key ?? '';
    const older = (body: Uint8Array) => ({ ...committed, files: [{ key, records: 1, bytes: body.byteLength }] });
    const notGzip = Buffer.from('not gzip');
    await store.put(key, notGzip);
    await expect(collect(readRecords(store, older(notGzip)))).rejects.toMatchObject({ code: 'LAKE_CORRUPT', context: { lakeKey: key } });
    const broken = gzipSync('{"ok":1}\n{broken\n');
    await store.put(key, broken);
    await expect(collect(readRecords(store, older(broken)))).rejects.toThrow('line 2');
  });
});
