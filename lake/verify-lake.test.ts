import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.js';
import { mirrorCommittedFiles } from './local-mirror.js';
import { openPartitionWriter } from './partition-writer.js';
import { RecordingObjectStore } from './testing/recording-object-store.js';
import { verifyLake } from './verify-lake.js';

let dir: string;
let store: LocalObjectStore;

async function commit(entity: string, dt: string, ids: number[], invalid = 0) {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity, dt, runId: 'r1', maxRecordsPerFile: 2 });
  for (const id of ids) await writer.write({ id });
  for (let i = 0; i < invalid; i++) await writer.writeInvalid({ _item: { id: `bad-${i}` } });
  return writer.commit({ pages: 1, requests: 1 });
}

async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[bytes.length >> 1]! ^= 0xff;
  await writeFile(file, bytes);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gmp-verify-'));
  store = new LocalObjectStore(path.join(dir, 'lake'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyLake', () => {
  it('checks every committed file, naming each damaged one (missing, size, checksum, manifest) with its repair', async () => {
    const games = await commit('games', '2024-05-01', [1, 2, 3], 1);
    const other = await commit('games', '2024-05-02', [4]);
    await commit('genres', '2024-05-02', [5]);
    const [first, second] = games.files;
    await flipByte(store.localPathFor(first!.key));
    await unlink(store.localPathFor(second!.key));
    await writeFile(store.localPathFor(other.files[0]!.key), 'short');
    await store.put('raw/rawg/genres/dt=2024-05-03/_manifest.json', '{"format":1}');

    const seen: string[] = [];
    const checks = await verifyLake(store, { onCheck: (c) => seen.push(c.key) });
    expect(seen.sort()).toEqual(checks.map((c) => c.key));
    expect(checks.filter((c) => c.ok).map((c) => c.key)).toEqual([games.invalid_files[0]!.key, expect.stringContaining('genres/dt=2024-05-02/run=r1/part-00000')]);
    expect(checks.filter((c) => !c.ok)).toEqual([
      { asset: 'rawg/games', partition: '2024-05-01', key: first!.key, location: store.localPathFor(first!.key), copy: 'lake', ok: false, problem: 'its SHA-256 is not the one its manifest records', repair: 'gmp lake repair rawg/games --partition 2024-05-01' },
      { asset: 'rawg/games', partition: '2024-05-01', key: second!.key, location: store.localPathFor(second!.key), copy: 'lake', ok: false, problem: 'it is missing', repair: 'gmp lake repair rawg/games --partition 2024-05-01' },
      { asset: 'rawg/games', partition: '2024-05-02', key: other.files[0]!.key, location: store.localPathFor(other.files[0]!.key), copy: 'lake', ok: false, problem: `it has 5 bytes, its manifest says ${other.files[0]!.bytes}`, repair: 'gmp lake repair rawg/games --partition 2024-05-02' },
      expect.objectContaining({ asset: 'rawg/genres', partition: '2024-05-03', key: 'raw/rawg/genres/dt=2024-05-03/_manifest.json', copy: 'manifest', ok: false, repair: 'gmp lake repair rawg/genres --partition 2024-05-03' }),
    ]);

    // One entity, one partition.
    const narrowed = await verifyLake(store, { source: 'rawg', entity: 'games', partition: '2024-05-02' });
    expect(narrowed.map((c) => [c.key, c.ok])).toEqual([[other.files[0]!.key, false]]);
  });

  it("checks the local mirror's cached copies of a remote lake too, never downloading missing ones", async () => {
    const remote = new RecordingObjectStore(store);
    const manifest = await commit('games', '2024-05-01', [1, 2, 3, 4, 5]);
    const cacheDir = path.join(dir, 'cache');
    const paths = await mirrorCommittedFiles({ store: remote, manifests: [manifest], cacheDir });
    const [kept, damaged, dropped] = [...paths.values()];
    await flipByte(damaged!);
    await unlink(dropped!);
    expect(kept).toBeDefined();

    const checks = await verifyLake(remote, { cacheDir });
    expect(checks.map((c) => [c.copy, c.key, c.ok])).toEqual([
      ['lake', manifest.files[0]!.key, true],
      ['cache', manifest.files[0]!.key, true],
      ['lake', manifest.files[1]!.key, true],
      ['cache', manifest.files[1]!.key, false],
      ['lake', manifest.files[2]!.key, true],
    ]);
    expect(checks[3]).toMatchObject({ location: damaged, problem: 'its SHA-256 is not the one its manifest records' });
  });
});
