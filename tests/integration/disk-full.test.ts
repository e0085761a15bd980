import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiskFullError } from '../../core/index.js';
import { LocalObjectStore, mirrorCommittedFiles, openPartitionWriter, readManifest, readRecords, type ObjectStore } from '../../lake/index.js';
import { createSqliteDriver } from '../../orchestration/index.js';
import { createDuckDbWarehouse } from '../../warehouse/index.js';
import { mountTinyFileSystem, type TinyFileSystem } from '../helpers/tiny-file-system.js';

// `disk full: <path> needs [at least ]~N MB more (M MB free on its file system)`, or "more space" when unknown.
const MESSAGE = /^disk full: (\S+) needs (?:(?:at least )?~\d+(?:\.\d)? MB more \(\d+(?:\.\d)? MB free on its file system\)|more space \(\d+(?:\.\d)? MB free on its file system\)|more than the \d+(?:\.\d)? MB free on its file system)$/;

let fs: TinyFileSystem;
let elsewhere: string;

beforeAll(async () => {
  fs = mountTinyFileSystem(4 * 1024 * 1024);
  elsewhere = await mkdtemp(path.join(tmpdir(), 'gmp-disk-full-'));
});

afterAll(async () => {
  fs?.unmount();
  if (elsewhere !== undefined) await rm(elsewhere, { recursive: true, force: true });
});

beforeEach(async () => {
  fs.unfill();
  for (const name of await readdir(fs.dir)) await rm(path.join(fs.dir, name), { recursive: true, force: true });
});

async function commitGames(store: ObjectStore, runId: string, count: number, blobBytes = 64) {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: '2025-06-29', runId, maxRecordsPerFile: 100_000 });
  try {
    for (let i = 0; i < count; i++) await writer.write({ id: i, run: runId, blob: randomBytes(blobBytes).toString('hex') });
    return await writer.commit({ pages: 1, requests: 1 });
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

function expectDiskFull(error: unknown, where: string): RegExpExecArray {
  expect(error).toBeInstanceOf(DiskFullError);
  const match = MESSAGE.exec((error as Error).message);
  expect(match, (error as Error).message).not.toBeNull();
  expect(match![1]!.startsWith(where)).toBe(true);
  expect((error as Error).message).not.toMatch(/damaged|corrupt/);
  return match!;
}

describe('a full disk (a real 4 MiB tmpfs)', () => {
  it('fails a lake commit naming the file and the space it needs, and keeps the previous commit', async () => {
    const store = new LocalObjectStore(path.join(fs.dir, 'lake'));
    const first = await commitGames(store, 'first', 10);
    fs.fill(64 * 1024);
    // Random hex barely compresses: ~1 MiB of part file cannot fit in 64 KiB.
    const error = await commitGames(store, 'second', 4_000, 128).catch((e: unknown) => e);
    expectDiskFull(error, path.join(fs.dir, 'lake', 'raw', 'rawg', 'games', 'dt=2025-06-29', 'run=second'));
    expect((error as Error).message).toContain('needs at least ~');

    expect(await readManifest(store, 'rawg', 'games', '2025-06-29')).toEqual(first);
    const ids: unknown[] = [];
    for await (const record of readRecords(store, first)) ids.push(record['id']);
    expect(ids).toHaveLength(10);
    // The aborted run left nothing behind: no run folder, no staged temp file.
    expect(await readdir(path.join(fs.dir, 'lake', 'raw', 'rawg', 'games', 'dt=2025-06-29'))).toEqual(['_manifest.json', 'run=first']);
    expect(await readdir(path.join(fs.dir, 'lake', '.gmp-tmp-staging'))).toEqual([]);
  });

  it("fails the S3 mirror's copy naming the cached path and how much more it needs, and mirrors once there is room", async () => {
    const lake = new LocalObjectStore(path.join(elsewhere, 'lake'));
    // Seen as a remote store (no local paths), so its files are copied into the cache.
    const remote: ObjectStore = { put: lake.put.bind(lake), get: lake.get.bind(lake), head: lake.head.bind(lake), list: lake.list.bind(lake), delete: lake.delete.bind(lake), describe: () => 's3://lake/test' };
    const manifest = await commitGames(lake, 'r1', 3_000, 128);
    const cacheDir = path.join(fs.dir, 'cache');
    fs.fill(256 * 1024);
    const error = await mirrorCommittedFiles({ store: remote, manifests: [manifest], cacheDir }).catch((e: unknown) => e);
    expectDiskFull(error, path.join(cacheDir, 'raw', 'rawg', 'games'));
    // The whole file's size is known: "needs ~N MB more", N its size less what is free.
    expect((error as DiskFullError).neededBytes).toBe(manifest.files[0]!.bytes);
    expect((error as Error).message).toMatch(/needs ~\d+(\.\d)? MB more/);
    fs.unfill();
    const paths = await mirrorCommittedFiles({ store: remote, manifests: [manifest], cacheDir });
    expect([...paths.keys()]).toEqual([manifest.files[0]!.key]);
  });

  it('fails a SQLite state write as a full disk, never "the state file may be damaged", and loses nothing', async () => {
    const file = path.join(fs.dir, 'state.sqlite');
    const driver = createSqliteDriver(file);
    try {
      await driver.execute('CREATE TABLE runs (id INTEGER PRIMARY KEY, body TEXT)');
      for (let i = 0; i < 10; i++) await driver.execute('INSERT INTO runs (body) VALUES (?)', [randomBytes(512).toString('hex')]);
      fs.fill();
      const error = await driver
        .transaction(async (tx) => {
          for (let i = 0; i < 64; i++) await tx.execute('INSERT INTO runs (body) VALUES (?)', [randomBytes(32 * 1024).toString('hex')]);
        })
        .catch((e: unknown) => e);
      expectDiskFull(error, file);
      expect((error as DiskFullError).hint).not.toMatch(/damaged/);
      expect((error as DiskFullError).hint).toContain('state file is intact');
      fs.unfill();
      expect(await driver.query<{ n: number }>('SELECT count(*) AS n FROM runs')).toEqual([{ n: 10 }]);
    } finally {
      await driver.close();
    }
  });

  it('fails a DuckDB warehouse write as a full disk naming the warehouse file, and keeps its tables', async () => {
    const file = path.join(fs.dir, 'warehouse.duckdb');
    const warehouse = await createDuckDbWarehouse({ path: file });
    try {
      await warehouse.execute(['CREATE TABLE t AS SELECT range AS id FROM range(1000)', 'CHECKPOINT']);
      fs.fill();
      const error = await warehouse
        .execute(['CREATE TABLE big AS SELECT range AS id, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(300000)'])
        .catch((e: unknown) => e);
      expectDiskFull(error, file);
      fs.unfill();
      expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 1000 }]);
    } finally {
      await warehouse.close();
    }
  });
});
