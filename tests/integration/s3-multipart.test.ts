import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { isAlreadyExists, openPartitionWriter, readRecords, type S3LakeLocation } from '../../lake/index.js';
import { S3ObjectStore, s3ClientConfig, type S3ObjectStoreOptions } from '../../lake/s3-object-store.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';

const BUCKET = 'gmp-multipart';
const MiB = 1024 * 1024;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'multipart-secret-5' };

let moto: MotoServer;
let s3: S3Client;
let location: S3LakeLocation;

beforeAll(async () => {
  moto = await startMotoServer();
  location = { type: 's3', bucket: BUCKET, prefix: 'mp', region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials };
  s3 = new S3Client(s3ClientConfig(location));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3.destroy();
  await moto.stop();
  clearSecrets();
});

/**
 * A store whose client records the name of every command it sends and of every one that ended;
 * `ended(name)` resolves once a command of that name has ended.
 */
function recordingStore(options: Omit<S3ObjectStoreOptions, 'client'> = {}) {
  const client = new S3Client(s3ClientConfig(location));
  const sent: string[] = [];
  const done: string[] = [];
  const waiters: { name: string; resolve: () => void }[] = [];
  const send = client.send.bind(client) as (command: unknown, options?: unknown) => Promise<unknown>;
  (client as unknown as { send: typeof send }).send = async (command, opts) => {
    const name = (command as object).constructor.name.replace(/Command$/, '');
    sent.push(name);
    const result = await send(command, opts);
    done.push(name);
    for (const w of waiters.filter((x) => x.name === name)) w.resolve();
    return result;
  };
  const ended = (name: string): Promise<void> =>
    done.includes(name) ? Promise.resolve() : new Promise((resolve) => waiters.push({ name, resolve }));
  return { store: new S3ObjectStore(location, { ...options, client }), sent, done, ended };
}

/**
 * A store whose part 1 fails at once (a reset connection) while part 2 is slow: part 2 reaches
 * moto only once an AbortMultipartUpload is sent, or once part 1's failure has had a turn of the
 * event loop to reach the uploader, whichever comes first. `events` records what happened, in order.
 */
function partOneFailsWhilePartTwoIsSlow(): { store: S3ObjectStore; events: string[] } {
  const client = new S3Client(s3ClientConfig(location));
  const events: string[] = [];
  let releasePartTwo = (): void => undefined;
  const partTwoReleased = new Promise<void>((resolve) => (releasePartTwo = resolve));
  const send = client.send.bind(client) as (command: unknown, options?: unknown) => Promise<unknown>;
  (client as unknown as { send: typeof send }).send = async (command, opts) => {
    const name = (command as object).constructor.name.replace(/Command$/, '');
    const part = (command as { input: { PartNumber?: number } }).input.PartNumber;
    if (name === 'UploadPart' && part === 1) {
      events.push('UploadPart 1 failed');
      setImmediate(releasePartTwo);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    if (name === 'UploadPart' && part === 2) {
      await partTwoReleased;
      const stored = await send(command, opts).catch((error: unknown) => {
        events.push('UploadPart 2 failed');
        throw error;
      });
      events.push('UploadPart 2 stored');
      return stored;
    }
    if (name === 'AbortMultipartUpload') {
      events.push('AbortMultipartUpload sent');
      releasePartTwo();
      const result = await send(command, opts);
      events.push('AbortMultipartUpload done');
      return result;
    }
    return send(command, opts);
  };
  return { store: new S3ObjectStore(location, { client, multipart: { thresholdBytes: 0, partSizeBytes: 5 * MiB, partsInFlight: 2 } }), events };
}

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function objectBytes(key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `mp/${key}` }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

async function pendingUploads(): Promise<string[]> {
  const response = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'mp/' }));
  return (response.Uploads ?? []).map((u) => u.Key ?? '');
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('S3 multipart uploads (moto on loopback)', () => {
  it('keeps one PutObject for objects up to the threshold, streamed or not', async () => {
    const { store, sent } = recordingStore({ multipart: { thresholdBytes: 64 * 1024 } });
    await store.put('small/whole', randomBytes(64 * 1024));
    await store.put('small/streamed', chunksOf(randomBytes(60 * 1024), 7000));
    expect(sent).toEqual(['PutObject', 'PutObject']);
  });

  it('switches a streamed body to multipart past a small injected threshold', async () => {
    const { store, sent } = recordingStore({ multipart: { thresholdBytes: 64 * 1024 } });
    const data = randomBytes(300 * 1024);
    await store.put('threshold/streamed.bin', chunksOf(data, 16 * 1024), { contentType: 'application/gzip' });
    // 300 KiB is under S3's 5 MiB part minimum, so it is one (last) part.
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload']);
    expect(sha(await objectBytes('threshold/streamed.bin'))).toBe(sha(data));
    expect(await pendingUploads()).toEqual([]);
  });

  it('uploads a 20 MiB stream in 8 MiB parts with the default settings', async () => {
    const { store, sent } = recordingStore();
    const data = randomBytes(20 * MiB);
    await store.put('big/20mib.bin', chunksOf(data, 64 * 1024));
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    expect((await store.head('big/20mib.bin'))?.size).toBe(20 * MiB);
    expect(sha(await objectBytes('big/20mib.bin'))).toBe(sha(data));
    // A whole buffer past the threshold goes the same way.
    await store.put('big/buffer.bin', data.subarray(0, 9 * MiB));
    expect(sent.slice(6)).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    expect(await pendingUploads()).toEqual([]);
  });

  it('aborts the upload when the signal aborts mid-upload: no object, no pending upload', async () => {
    const { store, done, ended } = recordingStore({ multipart: { thresholdBytes: 64 * 1024, partSizeBytes: 5 * MiB } });
    const controller = new AbortController();
    let produced = 0;
    async function* slowProducer(): AsyncGenerator<Uint8Array> {
      for (;;) {
        // Stall once a first part is stored, until the abort below.
        if (done.includes('UploadPart')) await new Promise(() => undefined);
        const chunk = randomBytes(256 * 1024);
        produced += chunk.length;
        yield chunk;
      }
    }
    const put = store.put('abort/partial.bin', slowProducer(), { signal: controller.signal });
    await ended('UploadPart');
    expect(await pendingUploads()).toEqual(['mp/abort/partial.bin']);
    controller.abort();
    await expect(put).rejects.toMatchObject({ code: 'CANCELED' });
    expect(produced).toBeGreaterThanOrEqual(5 * MiB);
    expect(done).toContain('AbortMultipartUpload');
    expect(await store.head('abort/partial.bin')).toBeUndefined();
    expect(await pendingUploads()).toEqual([]);
  });

  it('aborts the upload when the producer fails after some parts', async () => {
    const { store, sent } = recordingStore({ multipart: { thresholdBytes: 0, partSizeBytes: 5 * MiB } });
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(6 * MiB);
      throw new Error('the source went away');
    }
    await expect(store.put('abort/failed.bin', failing())).rejects.toThrow(/the source went away/);
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'AbortMultipartUpload']);
    expect(await store.head('abort/failed.bin')).toBeUndefined();
    expect(await pendingUploads()).toEqual([]);
  });

  it.each([
    ['while completing (two parts)', 6 * MiB],
    ['while uploading a third part', 11 * MiB],
  ])('aborts only after every part in flight has settled when a part fails %s', async (_, size) => {
    const { store, events } = partOneFailsWhilePartTwoIsSlow();
    const error = await store.put('abort/part-failed.bin', randomBytes(size)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAKE_IO', message: expect.stringContaining('socket hang up') });
    expect((error as { context: Record<string, unknown> }).context['pendingUploadId']).toBeUndefined();
    // AbortMultipartUpload is final only when no part is uploading: S3 keeps a part that lands after it.
    expect(events).toEqual(['UploadPart 1 failed', 'UploadPart 2 stored', 'AbortMultipartUpload sent', 'AbortMultipartUpload done']);
    expect(await store.head('abort/part-failed.bin')).toBeUndefined();
    expect(await pendingUploads()).toEqual([]);
  });

  it('completes a conditional multipart upload only if its precondition holds', async () => {
    const { store } = recordingStore({ multipart: { thresholdBytes: 1024 } });
    await store.put('cond/once.bin', randomBytes(4096), { ifNoneMatch: true });
    const error = await store.put('cond/once.bin', randomBytes(4096), { ifNoneMatch: true }).catch((e: unknown) => e);
    expect(isAlreadyExists(error)).toBe(true);
    expect(await pendingUploads()).toEqual([]);
  });

  it('streams a partition part file past the threshold from the writer, and a writer abort leaves nothing', async () => {
    const { store, sent } = recordingStore({ multipart: { thresholdBytes: 256 * 1024, partSizeBytes: 5 * MiB } });
    const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: '2025-01-02', runId: 'big', maxRecordsPerFile: 100_000 });
    // Random hex compresses only ~2:1, so ~13 MiB of records make a ~6.5 MiB gzip part: two parts.
    for (let i = 0; i < 1600; i++) await writer.write({ id: i, blob: randomBytes(4096).toString('hex') });
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(sent.filter((c) => c === 'UploadPart')).toHaveLength(2);
    expect(manifest.files).toHaveLength(1);
    expect((await store.head(manifest.files[0]!.key))?.size).toBe(manifest.files[0]!.bytes);
    // Hashed while it streamed, across both parts: the checksum is the whole object's.
    expect(manifest.files[0]!.sha256).toBe(createHash('sha256').update(await store.get(manifest.files[0]!.key)).digest('hex'));
    let n = 0;
    for await (const record of readRecords(store, manifest)) expect(record['id']).toBe(n++);
    expect(n).toBe(1600);

    const aborted = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: '2025-01-02', runId: 'dropped', maxRecordsPerFile: 100_000 });
    const uploadsBefore = sent.filter((c) => c === 'UploadPart').length;
    for (let i = 0; sent.filter((c) => c === 'UploadPart').length === uploadsBefore; i++) {
      await aborted.write({ id: i, blob: randomBytes(4096).toString('hex') });
    }
    expect(await pendingUploads()).toEqual(['mp/raw/rawg/games/dt=2025-01-02/run=dropped/part-00000.jsonl.gz']);
    await aborted.abort();
    expect(await pendingUploads()).toEqual([]);
    expect(await store.head('raw/rawg/games/dt=2025-01-02/run=dropped/part-00000.jsonl.gz')).toBeUndefined();
  });
});
