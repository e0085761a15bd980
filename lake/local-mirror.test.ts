import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMotoServer, type MotoServer } from '../tests/helpers/moto-server.js';
import { createObjectStore } from './create-object-store.js';
import { LocalObjectStore } from './local-object-store.js';
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
