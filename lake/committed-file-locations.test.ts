import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedFileLocations } from './committed-file-locations.js';
import { LocalObjectStore } from './local-object-store.js';
import { openPartitionWriter } from './partition-writer.js';
import type { PartitionManifest } from './partition-manifest.js';
import { S3ObjectStore } from './s3-object-store.js';
import { RecordingObjectStore } from './testing/recording-object-store.js';

let work: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'gmp-locations-'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function committed(store: RecordingObjectStore, dt: string, runId: string): Promise<PartitionManifest> {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt, runId, maxRecordsPerFile: 1 });
  await writer.write({ id: 1 });
  await writer.write({ id: 2 });
  return writer.commit({ pages: 1, requests: 1 });
}

describe('committedFileLocations', () => {
  it('names S3 files by s3:// URL for a direct reader, without any S3 call or download', async () => {
    const sent: unknown[] = [];
    const client = { send: async (command: unknown) => void sent.push(command) } as unknown as S3Client;
    const store = new S3ObjectStore({ type: 's3', bucket: 'lake', prefix: 'zone', region: 'us-east-1', forcePathStyle: true }, { client });
    const manifest: PartitionManifest = {
      format: 1, source: 'rawg', entity: 'games', dt: '2025-06-28', run_id: 'r1', committed_at: '2025-06-29T00:00:00Z',
      records: 3, invalid_records: 0, pages: 1, requests: 1, metadata: {}, invalid_files: [],
      files: [0, 1].map((i) => ({ key: `raw/rawg/games/dt=2025-06-28/run=r1/part-0000${i}.jsonl.gz`, records: 1, bytes: 10 })),
    };
    const cacheDir = path.join(work, 'cache');
    expect(await committedFileLocations({ store, manifests: [manifest], cacheDir, direct: true })).toEqual([
      's3://lake/zone/raw/rawg/games/dt=2025-06-28/run=r1/part-00000.jsonl.gz',
      's3://lake/zone/raw/rawg/games/dt=2025-06-28/run=r1/part-00001.jsonl.gz',
    ]);
    expect(sent).toEqual([]);
    expect(await readdir(work)).toEqual([]);
  });

  it("verifies a local lake's files in place, once, and names a damaged one with its path and repair", async () => {
    const store = new LocalObjectStore(path.join(work, 'lake'));
    const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: '2025-06-27', runId: 'a', maxRecordsPerFile: 1 });
    for (const id of [1, 2]) await writer.write({ id });
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    const verifiedRecord = path.join(work, 'verified', 'rawg.games.json');
    const options = { store, manifests: [manifest], cacheDir: path.join(work, 'cache'), verifiedRecord, direct: false };
    expect(await committedFileLocations(options)).toEqual(manifest.files.map((f) => store.localPathFor(f.key)));
    expect(Object.keys((JSON.parse(await readFile(verifiedRecord, 'utf8')) as { files: object }).files)).toEqual(manifest.files.map((f) => f.key));

    const damaged = manifest.files[1]!;
    const local = store.localPathFor(damaged.key);
    const bytes = await readFile(local);
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(local, bytes);
    await expect(committedFileLocations(options)).rejects.toMatchObject({
      code: 'LAKE_FILE_DAMAGED',
      message: `damaged lake file ${damaged.key} (${local}): its SHA-256 is not the one its manifest records`,
      hint: 'repair its partition with `gmp lake repair rawg/games --partition 2025-06-27`; `gmp lake verify` lists every damaged file',
    });
    expect(await readdir(work)).not.toContain('cache');
  });

  it('falls back to local copies when the reader cannot open URLs or the store has none', async () => {
    const store = new RecordingObjectStore(new LocalObjectStore(path.join(work, 'lake')));
    const manifests = [await committed(store, '2025-06-27', 'a'), await committed(store, '2025-06-28', 'b')];
    const cacheDir = path.join(work, 'cache');
    for (const direct of [true, false]) {
      const files = await committedFileLocations({ store, manifests, cacheDir, direct });
      expect(files).toEqual(manifests.flatMap((m) => m.files.map((f) => path.join(cacheDir, ...f.key.split('/')))));
    }
    // Downloaded once: the second call found the cached copies.
    expect(store.gets.filter((k) => k.includes('/run='))).toHaveLength(4);
  });
});
