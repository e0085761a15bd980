import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMotoServer, type MotoServer } from '../tests/helpers/moto-server.js';
import { createObjectStore } from './create-object-store.js';
import { LocalObjectStore } from './local-object-store.js';
import { committedFileLocations } from './committed-file-locations.js';
import { mirrorCommittedFiles } from './local-mirror.js';
import type { ObjectStore } from './object-store.js';
import { openPartitionWriter } from './partition-writer.js';
import { listCommittedPartitions } from './partition-reader.js';
import { RecordingObjectStore } from './testing/recording-object-store.js';

const BUCKET = 'mirror-lake';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-secret' };
let moto: MotoServer;
let work: string;
let store: RecordingObjectStore;
let cacheDir: string;

async function commit(s: ObjectStore, dt: string, runId: string, count: number) {
  const writer = await openPartitionWriter({ store: s, source: 'rawg', entity: 'games', dt, runId, maxRecordsPerFile: 2 });
  for (let i = 0; i < count; i++) await writer.write({ id: i, runId });
  await writer.writeInvalid({ _item: { id: 'bad' } });
  return writer.commit({ pages: 1, requests: 1 });
}

beforeAll(async () => {
  moto = await startMotoServer();
  const client = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
  work = await mkdtemp(path.join(tmpdir(), 'gmp-mirror-'));
});

afterAll(async () => {
  await moto?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  const s3 = await createObjectStore({
    type: 's3',
    bucket: BUCKET,
    prefix: `lake/${randomUUID()}`,
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials,
  });
  store = new RecordingObjectStore(s3);
  cacheDir = path.join(work, randomUUID());
});

describe('mirrorCommittedFiles', () => {
  it('downloads committed files once, reuses them, and drops runs no manifest names', async () => {
    await commit(store, '2024-05-01', 'r1', 3);
    await commit(store, '2024-05-02', 'r1', 1);
    // Uncommitted garbage in the lake is never mirrored.
    await store.put('raw/rawg/games/dt=2024-05-02/run=crashed/part-00000.jsonl.gz', 'x');
    let manifests = await listCommittedPartitions(store, 'rawg', 'games');

    store.gets.length = 0;
    const first = await mirrorCommittedFiles({ store, manifests, cacheDir });
    const expectedKeys = manifests.flatMap((m) => [...m.files, ...m.invalid_files].map((f) => f.key));
    expect([...first.keys()]).toEqual(expectedKeys);
    expect(store.gets.sort()).toEqual([...expectedKeys].sort());
    for (const [key, local] of first) {
      expect(local).toBe(path.join(cacheDir, ...key.split('/')));
      expect(Buffer.compare(await readFile(local), Buffer.from(await store.get(key)))).toBe(0);
    }

    store.gets.length = 0;
    const second = await mirrorCommittedFiles({ store, manifests, cacheDir });
    expect(second).toEqual(first);
    expect(store.gets).toEqual([]);

    // Re-run 2024-05-01: only the new run is fetched, the superseded run leaves the cache.
    await commit(store, '2024-05-01', 'r2', 2);
    manifests = await listCommittedPartitions(store, 'rawg', 'games');
    store.gets.length = 0;
    const third = await mirrorCommittedFiles({ store, manifests, cacheDir });
    expect(store.gets.every((k) => k.includes('/dt=2024-05-01/run=r2/'))).toBe(true);
    expect(store.gets.length).toBeGreaterThan(0);
    expect([...third.keys()].some((k) => k.includes('run=r1') && k.includes('2024-05-01'))).toBe(false);
    expect(existsSync(path.join(cacheDir, 'raw/rawg/games/dt=2024-05-01/run=r1'))).toBe(false);
    expect(existsSync(path.join(cacheDir, 'raw/rawg/games/dt=2024-05-02/run=r1'))).toBe(true);
    for (const local of third.values()) expect(existsSync(local)).toBe(true);

    // A partition that is no longer committed at all leaves the cache too.
    const only0501 = manifests.filter((m) => m.dt === '2024-05-01');
    await mirrorCommittedFiles({ store, manifests: only0501, cacheDir });
    expect(existsSync(path.join(cacheDir, 'raw/rawg/games/dt=2024-05-02'))).toBe(false);
  });

  it('replaces a cached file whose size does not match the manifest', async () => {
    const manifest = await commit(store, '2024-05-01', 'r1', 1);
    const paths = await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir });
    const [key, local] = [...paths][0] ?? ['', ''];
    await writeFile(local, 'truncated');
    store.gets.length = 0;
    await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir });
    expect(store.gets).toEqual([key]);
    expect(Buffer.compare(await readFile(local), Buffer.from(await store.get(key)))).toBe(0);
  });

  it('names a damaged lake file (key, URL and repair) instead of caching it', async () => {
    const manifest = await commit(store, '2024-05-01', 'r1', 3);
    const file = manifest.files[0]!;
    const flipped = Buffer.from(await store.get(file.key));
    flipped[10]! ^= 0xff;
    await store.put(file.key, flipped);
    const error = await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'LAKE_FILE_DAMAGED',
      message: `damaged lake file ${file.key} (${store.objectUrl!(file.key)}): its SHA-256 is not the one its manifest records`,
      hint: expect.stringContaining('gmp lake repair rawg/games --partition 2024-05-01'),
    });
    expect(existsSync(path.join(cacheDir, ...file.key.split('/')))).toBe(false);
  });

  it('downloads a damaged cached copy again, and hashes a verified copy once while its size and mtime stay', async () => {
    const manifest = await commit(store, '2024-05-01', 'r1', 1);
    const verifiedRecord = path.join(work, randomUUID(), 'verified.json');
    const paths = await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir, verifiedRecord });
    const [key, local] = [...paths][0]!;
    const good = await readFile(local);
    const { mtime } = await stat(local);
    const damaged = Buffer.from(good);
    damaged[12]! ^= 0xff;

    // Bytes changed behind the record's back (same size, same mtime): trusted, as recorded.
    await writeFile(local, damaged);
    await utimes(local, mtime, mtime);
    store.gets.length = 0;
    await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir, verifiedRecord });
    expect(store.gets).toEqual([]);
    // Any write moves the mtime: hashed again, found damaged, fetched again.
    await writeFile(local, damaged);
    await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir, verifiedRecord });
    expect(store.gets).toEqual([key]);
    expect(Buffer.compare(await readFile(local), good)).toBe(0);
    // Without a record every call hashes every copy.
    await writeFile(local, damaged);
    await utimes(local, mtime, mtime);
    store.gets.length = 0;
    await mirrorCommittedFiles({ store, manifests: [manifest], cacheDir });
    expect(store.gets).toEqual([key]);
    expect(Buffer.compare(await readFile(local), good)).toBe(0);
  });

  it('verifies S3 files for a direct reader once, by one listing after that, and names an overwritten one', async () => {
    const manifests = [await commit(store, '2024-05-01', 'r1', 3), await commit(store, '2024-05-02', 'r1', 1)];
    const verifiedRecord = path.join(work, randomUUID(), 'verified.json');
    const keys = manifests.flatMap((m) => m.files.map((f) => f.key));
    store.gets.length = 0;
    const urls = await committedFileLocations({ store, manifests, cacheDir, verifiedRecord, direct: true });
    expect(urls).toEqual(keys.map((k) => store.objectUrl!(k)));
    expect(store.gets.sort()).toEqual([...keys].sort());
    store.gets.length = 0;
    await committedFileLocations({ store, manifests, cacheDir, verifiedRecord, direct: true });
    expect(store.gets).toEqual([]);
    expect(existsSync(cacheDir)).toBe(false);

    const replaced = Buffer.from(await store.get(keys[1]!));
    replaced[10]! ^= 0xff;
    await store.put(keys[1]!, replaced);
    await expect(committedFileLocations({ store, manifests, cacheDir, verifiedRecord, direct: true })).rejects.toMatchObject({
      code: 'LAKE_FILE_DAMAGED',
      message: expect.stringContaining(`damaged lake file ${keys[1]} (${store.objectUrl!(keys[1]!)})`),
    });
  });

  it('honours an aborted signal', async () => {
    const manifest = await commit(store, '2024-05-01', 'r1', 1);
    await expect(
      mirrorCommittedFiles({ store, manifests: [manifest], cacheDir, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELED' });
  });

  it('returns the real paths of a local-folder store without copying', async () => {
    const root = path.join(work, randomUUID());
    const local = new LocalObjectStore(root);
    const manifest = await commit(local, '2024-05-01', 'r1', 3);
    const paths = await mirrorCommittedFiles({ store: local, manifests: [manifest], cacheDir });
    for (const [key, file] of paths) {
      expect(file).toBe(path.join(root, ...key.split('/')));
      expect(existsSync(file)).toBe(true);
    }
    expect(paths.size).toBe(manifest.files.length + manifest.invalid_files.length);
    expect(existsSync(cacheDir)).toBe(false);
  });
});
