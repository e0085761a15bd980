import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSecrets, fixedClock, registerSecret } from '../core/index.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ListEntry, ObjectBody, ObjectStore, PutOptions } from './object-store.js';
import { openPartitionWriter, type PartitionWriterOptions } from './partition-writer.js';
import { readManifest, readRecords } from './partition-reader.js';
import { RecordingObjectStore } from './testing/recording-object-store.js';

let dir: string;
let store: RecordingObjectStore;

const DT = '2024-05-01';
const base = (runId: string, extra: Partial<PartitionWriterOptions> = {}): PartitionWriterOptions => ({
  store,
  source: 'rawg',
  entity: 'games',
  dt: DT,
  runId,
  clock: fixedClock('2024-05-02T03:04:05.000Z'),
  ...extra,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function writeRun(runId: string, count: number, extra: Partial<PartitionWriterOptions> = {}) {
  const writer = await openPartitionWriter(base(runId, extra));
  for (let i = 0; i < count; i++) await writer.write({ id: i, run: runId });
  return writer.commit({ pages: 1, requests: 2 });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gmp-writer-'));
  store = new RecordingObjectStore(new LocalObjectStore(dir));
});

afterEach(async () => {
  clearSecrets();
  await rm(dir, { recursive: true, force: true });
});

describe('openPartitionWriter', () => {
  it('rolls part files every maxRecordsPerFile records and writes the manifest last', async () => {
    const writer = await openPartitionWriter(base('run1', { maxRecordsPerFile: 3 }));
    for (let i = 0; i < 7; i++) await writer.write({ id: i, name: `game ${i}` });
    // Two full parts are already in the store before commit; the third is still in memory.
    expect(store.puts).toHaveLength(2);
    expect(await readManifest(store, 'rawg', 'games', DT)).toBeUndefined();

    const manifest = await writer.commit({ pages: 2, requests: 3, metadata: { api_count: 7 } });
    const prefix = `raw/rawg/games/dt=${DT}/run=run1/`;
    expect(store.puts).toEqual([
      `${prefix}part-00000.jsonl.gz`,
      `${prefix}part-00001.jsonl.gz`,
      `${prefix}part-00002.jsonl.gz`,
      `raw/rawg/games/dt=${DT}/_manifest.json`,
    ]);
    expect(manifest).toMatchObject({
      format: 1,
      source: 'rawg',
      entity: 'games',
      dt: DT,
      run_id: 'run1',
      committed_at: '2024-05-02T03:04:05.000Z',
      records: 7,
      invalid_records: 0,
      pages: 2,
      requests: 3,
      invalid_files: [],
      metadata: { api_count: 7 },
    });
    expect(manifest.files.map((f) => [f.key, f.records])).toEqual([
      [`${prefix}part-00000.jsonl.gz`, 3],
      [`${prefix}part-00001.jsonl.gz`, 3],
      [`${prefix}part-00002.jsonl.gz`, 1],
    ]);
    for (const file of manifest.files) expect((await store.head(file.key))?.size).toBe(file.bytes);
    expect(await readManifest(store, 'rawg', 'games', DT)).toEqual(manifest);

    // Each part is one gzip member holding JSON lines.
    const first = gunzipSync(await store.get(`${prefix}part-00000.jsonl.gz`)).toString('utf8');
    expect(first).toBe('{"id":0,"name":"game 0"}\n{"id":1,"name":"game 1"}\n{"id":2,"name":"game 2"}\n');
    expect((await collect(readRecords(store, manifest))).map((r) => r['id'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('records the size and SHA-256 of every file it commits, hashed as it streamed (no file is read back)', async () => {
    const writer = await openPartitionWriter(base('run1', { maxRecordsPerFile: 400, partBufferChars: 1024 }));
    // Random text barely compresses, so each part streams out in many chunks.
    for (let i = 0; i < 1000; i++) await writer.write({ id: i, blob: randomBytes(256).toString('hex') });
    await writer.writeInvalid({ _item: { id: 'bad' }, _error: 'no name' });
    store.gets.length = 0;
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(store.gets).toEqual([]);
    const files = [...manifest.files, ...manifest.invalid_files];
    expect(files.map((f) => f.records)).toEqual([400, 400, 200, 1]);
    for (const file of files) {
      const bytes = await store.get(file.key);
      expect(file).toEqual({ key: file.key, records: file.records, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    // Kept as is by an append commit, and written for the new files.
    const appended = await openPartitionWriter(base('run2', { append: true }));
    await appended.write({ id: 1000 });
    const next = await appended.commit({ pages: 1, requests: 1 });
    expect(next.files.slice(0, 3)).toEqual(manifest.files);
    expect(next.files[3]!.sha256).toBe(createHash('sha256').update(await store.get(next.files[3]!.key)).digest('hex'));
  });

  it('keeps overlapping write calls in call order', async () => {
    const writer = await openPartitionWriter(base('run1', { maxRecordsPerFile: 4 }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write({ id: i })));
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect((await collect(readRecords(store, manifest))).map((r) => r['id'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('commits zero records as an empty, valid partition', async () => {
    const writer = await openPartitionWriter(base('empty'));
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(manifest).toMatchObject({ records: 0, invalid_records: 0, files: [], invalid_files: [] });
    expect(store.puts).toEqual([`raw/rawg/games/dt=${DT}/_manifest.json`]);
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'empty', files: [] });
  });

  it('keeps invalid records in invalid files, counted apart', async () => {
    const writer = await openPartitionWriter(base('run1', { maxRecordsPerFile: 2 }));
    await writer.write({ id: 1 });
    await writer.writeInvalid({ _item: { id: 'bad-1' } });
    await writer.writeInvalid({ _item: { id: 'bad-2' } });
    await writer.writeInvalid({ _item: null });
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(manifest.records).toBe(1);
    expect(manifest.invalid_records).toBe(3);
    expect(manifest.invalid_files.map((f) => [path.posix.basename(f.key), f.records])).toEqual([
      ['invalid-00000.jsonl.gz', 2],
      ['invalid-00001.jsonl.gz', 1],
    ]);
    expect(await collect(readRecords(store, manifest))).toEqual([{ id: 1 }]);
    expect(await collect(readRecords(store, manifest, { invalid: true }))).toEqual([
      { _item: { id: 'bad-1' } },
      { _item: { id: 'bad-2' } },
      { _item: null },
    ]);
  });

  it('redacts registered secrets and key= parameters inside records and metadata', async () => {
    registerSecret('s3cr3t-"quoted\\-key');
    registerSecret('plain-secret-value');
    const writer = await openPartitionWriter(base('run1'));
    await writer.write({
      next: 'https://api.rawg.io/api/games?key=abcdef123&page=2',
      note: 'token is s3cr3t-"quoted\\-key here',
      nested: { deep: ['plain-secret-value'] },
    });
    await writer.writeInvalid({ _item: 'plain-secret-value' });
    const manifest = await writer.commit({ pages: 1, requests: 1, metadata: { echo: 'plain-secret-value' } });

    const raw = [
      ...manifest.files.map((f) => f.key),
      ...manifest.invalid_files.map((f) => f.key),
    ];
    for (const key of raw) {
      const textOf = gunzipSync(await store.get(key)).toString('utf8');
      expect(textOf).not.toContain('abcdef123');
      expect(textOf).not.toContain('plain-secret-value');
      expect(textOf).not.toContain('s3cr3t');
    }
    const manifestText = Buffer.from(await store.get(`raw/rawg/games/dt=${DT}/_manifest.json`)).toString('utf8');
    expect(manifestText).not.toContain('plain-secret-value');
    const [record] = await collect(readRecords(store, manifest));
    expect(record).toEqual({
      next: 'https://api.rawg.io/api/games?key=[REDACTED]&page=2',
      note: 'token is [REDACTED] here',
      nested: { deep: ['[REDACTED]'] },
    });
  });

  it('writes a record given as JSON text exactly as the record itself, secrets redacted the same way', async () => {
    registerSecret('s3cr3t-"quoted\\-key');
    registerSecret('plain-secret-value');
    const records = [
      { id: 1, note: 'nothing to hide', n: [1.5, -0, 1e21], nested: { a: null } },
      { next: 'https://api.rawg.io/api/games?key=abcdef123&page=2' },
      { note: 'token is s3cr3t-"quoted\\-key here' },
      { nested: { deep: ['plain-secret-value'] } },
      { quote: 'a "quoted" \\ text\n', emoji: '😀' },
    ];
    const asObjects = await openPartitionWriter(base('objects'));
    for (const r of records) await asObjects.write(r);
    const a = await asObjects.commit({ pages: 1, requests: 1 });
    const asText = await openPartitionWriter(base('texts', { dt: '2024-05-02' }));
    for (const r of records) await asText.writeJson(JSON.stringify(r));
    const b = await asText.commit({ pages: 1, requests: 1 });
    const bytes = async (key: string) => gunzipSync(await store.get(key)).toString('utf8');
    const text = await bytes(b.files[0]!.key);
    expect(text).toBe(await bytes(a.files[0]!.key));
    expect(text).not.toMatch(/abcdef123|plain-secret-value|s3cr3t/);
    expect(text.split('\n')[0]).toBe(JSON.stringify(records[0]));
    await expect((await openPartitionWriter(base('bad', { dt: '2024-05-03' }))).writeJson('[1]')).rejects.toThrow('must be a JSON object');
  });

  it('replaces the previous commit on a re-run', async () => {
    expect((await openPartitionWriter(base('none'))).replaces).toBeUndefined();
    const first = await writeRun('first', 3);
    expect((await openPartitionWriter(base('next'))).replaces).toEqual(first);
    const second = await writeRun('second', 2);
    const manifest = await readManifest(store, 'rawg', 'games', DT);
    expect(manifest).toEqual(second);
    expect((await collect(readRecords(store, second))).map((r) => r['run'])).toEqual(['second', 'second']);
  });

  it('leaves the previous commit readable and intact when a run aborts or crashes', async () => {
    const first = await writeRun('first', 5, { maxRecordsPerFile: 2 });
    const before = await collect(readRecords(store, first));

    // Aborted: its own files are cleaned up, the commit is untouched.
    const aborted = await openPartitionWriter(base('aborted', { maxRecordsPerFile: 2 }));
    for (let i = 0; i < 5; i++) await aborted.write({ id: i, run: 'aborted' });
    await aborted.abort();
    await expect(aborted.write({ id: 99 })).rejects.toMatchObject({ code: 'LAKE_IO' });
    await expect(aborted.commit({ pages: 0, requests: 0 })).rejects.toMatchObject({ code: 'LAKE_IO' });
    expect(store.deletes.every((k) => k.includes('/run=aborted/'))).toBe(true);

    // Crashed: a put fails mid-run and the writer is simply dropped (never committed).
    store.failPutsMatching = /run=crashed\/part-00001/;
    const crashed = await openPartitionWriter(base('crashed', { maxRecordsPerFile: 2 }));
    await crashed.write({ id: 1 });
    await crashed.write({ id: 2 });
    await crashed.write({ id: 3 });
    await expect(crashed.write({ id: 4 })).rejects.toThrow('injected put failure');
    // A failed writer refuses to commit a partial file list.
    await expect(crashed.commit({ pages: 1, requests: 1 })).rejects.toThrow(/failed earlier/);
    store.failPutsMatching = undefined;

    expect(await readManifest(store, 'rawg', 'games', DT)).toEqual(first);
    expect(await collect(readRecords(store, first))).toEqual(before);
    const keys: ListEntry[] = await collect(store.list(`raw/rawg/games/dt=${DT}/`));
    expect(keys.some((e) => e.key.includes('run=aborted'))).toBe(false);
  });

  it('numbers the commits of a partition 1, 2, 3… by the manifest each replaces, whatever the writers\' clocks say', async () => {
    expect((await writeRun('first', 1, { clock: fixedClock('2024-05-02T03:00:00.000Z') })).generation).toBe(1);
    // A second host whose clock is an hour behind: its later commit still comes after.
    const skewed = await writeRun('second', 1, { clock: fixedClock('2024-05-02T02:00:00.000Z') });
    expect(skewed).toMatchObject({ generation: 2, committed_at: '2024-05-02T02:00:00.000Z' });
    // Same timestamp as the one it replaces: still ordered.
    expect((await writeRun('third', 1, { clock: fixedClock('2024-05-02T02:00:00.000Z') })).generation).toBe(3);
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'third', generation: 3 });
  });

  it('reads a manifest written before generations as generation 0, and continues a corrupt one from the generation it still states', async () => {
    const key = `raw/rawg/games/dt=${DT}/_manifest.json`;
    const { generation: _g, ...legacy } = await writeRun('legacy', 1);
    await store.put(key, JSON.stringify(legacy));
    expect((await readManifest(store, 'rawg', 'games', DT))?.generation).toBeUndefined();
    expect((await writeRun('after_legacy', 1)).generation).toBe(1);

    await store.put(key, JSON.stringify({ generation: 7, run_id: 'truncated' }));
    expect((await writeRun('repair', 1)).generation).toBe(8);
    await store.put(key, '{ not json');
    expect((await writeRun('repair_again', 1)).generation).toBe(1);
  });

  it('refuses to reuse the committed run id, but lets a corrupt manifest be replaced', async () => {
    await writeRun('same', 1);
    await expect(openPartitionWriter(base('same'))).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
    await store.put(`raw/rawg/games/dt=${DT}/_manifest.json`, '{ not json');
    expect((await openPartitionWriter(base('same'))).replaces).toBeUndefined(); // nothing usable to build on
    const repaired = await writeRun('same', 1);
    expect(await readManifest(store, 'rawg', 'games', DT)).toEqual(repaired);
  });

  it('rejects records that are not JSON objects and bad options', async () => {
    await expect(openPartitionWriter(base('r', { maxRecordsPerFile: 0 }))).rejects.toMatchObject({ code: 'LAKE_IO' });
    await expect(openPartitionWriter(base('bad/run'))).rejects.toMatchObject({ code: 'LAKE_IO' });
    await expect(openPartitionWriter({ ...base('r'), dt: '2024-13-01' })).rejects.toMatchObject({ code: 'LAKE_IO' });
    const writer = await openPartitionWriter(base('r'));
    await expect(writer.write([1, 2] as unknown as object)).rejects.toThrow('JSON object');
    await expect(writer.write({ n: 1n })).rejects.toThrow('not JSON-serializable');
    await expect(writer.commit({ pages: -1, requests: 0 })).rejects.toThrow('pages');
    // Those refusals did not poison the writer.
    await writer.write({ ok: true });
    expect((await writer.commit({ pages: 1, requests: 1 })).records).toBe(1);
    await writer.abort(); // after commit: a no-op
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'r', records: 1 });
  });

  it('streams a part into the store while its records arrive', async () => {
    let received = 0;
    const counting: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      put: async (key: string, body: ObjectBody, options?: PutOptions) => {
        if (typeof body === 'string' || body instanceof Uint8Array) return store.put(key, body, options);
        async function* counted(): AsyncGenerator<Uint8Array> {
          for await (const chunk of body as AsyncIterable<Uint8Array>) {
            received += chunk.byteLength;
            yield chunk;
          }
        }
        return store.put(key, counted(), options);
      },
    });
    const writer = await openPartitionWriter(base('stream', { store: counting, maxRecordsPerFile: 1_000_000 }));
    // ~4 MB of incompressible records, none of them flushed by a full part.
    for (let i = 0; i < 1000; i++) await writer.write({ id: i, blob: randomBytes(2048).toString('base64') });
    expect(received).toBeGreaterThan(1_000_000);
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(manifest.files).toHaveLength(1);
    expect(manifest.files[0]!.bytes).toBe(received);
  });

  it('refuses the second of two concurrent first commits, keeping the first', async () => {
    const a = await openPartitionWriter(base('run_a'));
    const b = await openPartitionWriter(base('run_b'));
    await a.write({ id: 1 });
    await b.write({ id: 2 });
    await a.commit({ pages: 1, requests: 1 });
    const error = await b.commit({ pages: 1, requests: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAKE_IO', retryable: false, context: { concurrentCommit: true, committedRunId: 'run_a' } });
    expect((error as { hint?: string }).hint).toMatch(/re-run the partition/);
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'run_a' });
  });

  it('takes a refused manifest put that finds its own bytes in place as committed (a retry after a lost response)', async () => {
    // The first attempt lands but its answer is lost; the retry meets its own manifest.
    const twice: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      put: async (key: string, body: ObjectBody, options?: PutOptions) => {
        if (key.endsWith('_manifest.json')) await store.put(key, body, options);
        return store.put(key, body, options);
      },
    });
    const writer = await openPartitionWriter(base('retried', { store: twice }));
    await writer.write({ id: 1 });
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(await readManifest(store, 'rawg', 'games', DT)).toEqual(manifest);
  });

  it('honours its abort signal', async () => {
    const controller = new AbortController();
    const writer = await openPartitionWriter(base('sig', { maxRecordsPerFile: 1, signal: controller.signal }));
    await writer.write({ id: 1 });
    controller.abort();
    await expect(writer.write({ id: 2 })).rejects.toMatchObject({ code: 'CANCELED' });
    await writer.abort();
    expect(await readManifest(store, 'rawg', 'games', DT)).toBeUndefined();
    expect(await collect(store.list(''))).toEqual([]);
  });
});
