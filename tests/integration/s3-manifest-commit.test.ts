import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { manifestKey, openPartitionWriter, readManifest, type ObjectStore, type S3LakeLocation } from '../../lake/index.js';
import { S3ObjectStore, s3ClientConfig } from '../../lake/s3-object-store.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';

const BUCKET = 'gmp-commits';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'commit-secret-77' };
const DT = '2025-03-04';

let moto: MotoServer;
let proxy: DroppingProxy;

/**
 * A loopback proxy in front of moto that forwards every request, but for the next request that
 * `dropNext` matches it lets moto apply it and then cuts the connection instead of answering:
 * the "lost response" a client sees as a network error and retries.
 */
interface DroppingProxy {
  url: string;
  dropNext(match: (method: string, path: string, headers: Record<string, unknown>) => boolean): void;
  /** Requests seen, as "METHOD decoded-path [if-none-match|if-match]". */
  seen: string[];
  dropped: number;
  close(): Promise<void>;
}

async function startDroppingProxy(target: string): Promise<DroppingProxy> {
  const upstream = new URL(target);
  let matcher: ((method: string, path: string, headers: Record<string, unknown>) => boolean) | undefined;
  const state = { seen: [] as string[], dropped: 0 };
  const server: Server = createServer((req, res) => {
    const condition = req.headers['if-none-match'] !== undefined ? ' if-none-match' : req.headers['if-match'] !== undefined ? ' if-match' : '';
    // The SDK escapes '=' in keys (dt%3D…); record and match the decoded path.
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    state.seen.push(`${req.method} ${path}${condition}`);
    const drop = matcher?.(req.method ?? '', path, req.headers) === true;
    if (drop) matcher = undefined;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (drop) {
          answer.resume();
          answer.once('end', () => {
            state.dropped++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropNext: (match) => {
      matcher = match;
    },
    get seen() {
      return state.seen;
    },
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function storeVia(endpoint: string, prefix: string): ObjectStore {
  return new S3ObjectStore({ type: 's3', bucket: BUCKET, prefix, region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
}

async function writeRun(store: ObjectStore, runId: string, records: number) {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: DT, runId });
  for (let i = 0; i < records; i++) await writer.write({ id: i, runId });
  return writer;
}

beforeAll(async () => {
  moto = await startMotoServer();
  const location: S3LakeLocation = { type: 's3', bucket: BUCKET, prefix: '', region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials };
  const s3 = new S3Client(s3ClientConfig(location));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  proxy = await startDroppingProxy(moto.endpoint);
});

afterAll(async () => {
  await proxy.close();
  await moto.stop();
  clearSecrets();
});

const isManifestPut = (prefix: string) => (method: string, path: string) =>
  method === 'PUT' && path === `/${BUCKET}/${prefix}/${manifestKey('rawg', 'games', DT)}`;

describe('manifest commits on S3 are conditional (moto on loopback)', () => {
  it('creates the first commit with If-None-Match and replaces it with If-Match on the etag seen at open', async () => {
    const prefix = 'conditions';
    const store = storeVia(proxy.url, prefix);
    await (await writeRun(store, 'first', 3)).commit({ pages: 1, requests: 1 });
    await (await writeRun(store, 'second', 2)).commit({ pages: 1, requests: 1 });
    const manifestPuts = proxy.seen.filter((line) => line.startsWith(`PUT /${BUCKET}/${prefix}/`) && line.includes('_manifest.json'));
    expect(manifestPuts.map((line) => line.split(' ').slice(2).join(' '))).toEqual(['if-none-match', 'if-match']);
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'second', records: 2 });
  });

  it('refuses the second of two concurrent first commits and keeps the first', async () => {
    const store = storeVia(moto.endpoint, 'race-first');
    const a = await writeRun(store, 'run_a', 2);
    const b = await writeRun(store, 'run_b', 5);
    await a.commit({ pages: 1, requests: 1 });
    await expect(b.commit({ pages: 1, requests: 1 })).rejects.toMatchObject({
      code: 'LAKE_IO',
      retryable: false,
      context: { concurrentCommit: true, committedRunId: 'run_a' },
    });
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'run_a', records: 2 });
  });

  it('refuses a re-run whose partition was re-committed after it opened', async () => {
    const store = storeVia(moto.endpoint, 'race-replace');
    await (await writeRun(store, 'base', 1)).commit({ pages: 1, requests: 1 });
    const slow = await writeRun(store, 'slow', 4);
    await (await writeRun(store, 'fast', 3)).commit({ pages: 1, requests: 1 });
    const error = await slow.commit({ pages: 1, requests: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ context: { concurrentCommit: true, committedRunId: 'fast' } });
    expect((error as Error).message).toContain('committed by run fast after run slow started');
    expect(await readManifest(store, 'rawg', 'games', DT)).toMatchObject({ run_id: 'fast', records: 3 });
  });

  it.each([
    ['a first commit (If-None-Match)', 'lost-create', false],
    ['a re-run (If-Match)', 'lost-replace', true],
  ])('treats the 412 after a lost response to %s as the success it was', async (_what, prefix, rerun) => {
    const store = storeVia(proxy.url, prefix);
    if (rerun) await (await writeRun(store, 'earlier', 1)).commit({ pages: 1, requests: 1 });
    const writer = await writeRun(store, 'retried', 4);
    const dropped = proxy.dropped;
    proxy.dropNext(isManifestPut(prefix));
    const manifest = await writer.commit({ pages: 1, requests: 1 });
    expect(proxy.dropped).toBe(dropped + 1);
    // The SDK sent the put again after the cut connection; S3 refused it (412) and the writer
    // found its own bytes in place.
    const puts = proxy.seen.filter((line) => line.startsWith(`PUT /${BUCKET}/${prefix}/`) && line.includes('_manifest.json'));
    expect(puts.slice(-2)).toEqual(Array(2).fill(puts.at(-1)));
    expect(await readManifest(store, 'rawg', 'games', DT)).toEqual(manifest);
    expect(manifest).toMatchObject({ run_id: 'retried', records: 4 });
  });
});
