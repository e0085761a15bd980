import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { commitLandedEvents, LANDING_PREFIX, type LandedObjectProgress } from '../../ingestion/index.js';
import { createObjectStore, listCommittedPartitions, LocalObjectStore, readRecords, type ObjectStore } from '../../lake/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';

// Firehose's view of the API: each record is `{"received_at": <ms>, "event": …}` plus a newline
// (the API Gateway mapping adds both); objects are GZIP, named <stream>-<n>-<time>-<uuid>.gz
// under the hour they arrived in.
const BUCKET = 'landed-events';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-landed-secret' };
const clock = fixedClock('2026-12-03T12:30:00Z');
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const view = (n: number, timestamp: string): Record<string, unknown> => ({ event_id: id(n), event: 'view', user_id: `u${n}`, timestamp });
const wrapped = (event: unknown, receivedAt = '2026-12-03T11:58:00Z'): string => JSON.stringify({ received_at: Date.parse(receivedAt), event });
const objectKey = (hour: string, n: number): string => `${LANDING_PREFIX}dt=${hour}/gmp-test-events-1-${hour.replace('T', '-')}-5${n}-00-${randomUUID()}.gz`;

const tempDirs: string[] = [];
let moto: MotoServer | undefined;

beforeAll(async () => {
  moto = await startMotoServer();
  const client = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
});

afterAll(async () => {
  await moto?.stop();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const stores: [string, () => Promise<ObjectStore>][] = [
  [
    'local folder',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'gmp-landed-'));
      tempDirs.push(dir);
      return new LocalObjectStore(dir);
    },
  ],
  [
    's3 (moto)',
    async () => {
      if (moto === undefined) throw new Error('moto_server is not running');
      return createObjectStore({ type: 's3', bucket: BUCKET, prefix: `lake-${randomUUID()}`, region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
    },
  ],
];

/** Two objects as Firehose lands them: good events, a broken record, an invalid event, a duplicate. */
async function landTwoObjects(store: ObjectStore): Promise<string[]> {
  const first = objectKey('2026-12-03T11', 1);
  const second = objectKey('2026-12-03T12', 2);
  const firstText = [
    wrapped(view(1, '2026-12-03T10:15:00Z')),
    wrapped(view(2, '2026-12-03T11:40:00Z')),
    '{"received_at":1796299080000,"event":{"event_id":"trunc',
    wrapped({ event_id: id(3), event: 'view', timestamp: '2026-12-03T11:41:00Z' }),
    // The last record without its newline.
    wrapped(view(4, '2026-12-03T11:42:00Z')),
  ].join('\n');
  // Records back to back, the way Firehose concatenates records that lost their newline; event 2 again.
  const secondText = wrapped(view(5, '2026-12-03T12:01:00Z'), '2026-12-03T12:01:30Z') + wrapped(view(2, '2026-12-03T11:40:00Z'), '2026-12-03T12:02:00Z');
  await store.put(first, gzipSync(firstText));
  await store.put(second, gzipSync(secondText));
  return [first, second];
}

async function lakeContents(store: ObjectStore, entity: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const m of await listCommittedPartitions(store, 'events', entity)) {
    for await (const r of readRecords(store, m)) out.push({ ...r, dt: m.dt });
  }
  return out;
}

/** The store, except that puts of keys matching `failing.on` fail (a crash at that write). */
function withFailingPuts(inner: ObjectStore, failing: { on: RegExp | undefined }): ObjectStore {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'put') {
        return (key: string, ...rest: Parameters<ObjectStore['put']> extends [string, ...infer R] ? R : never) =>
          failing.on?.test(key) ? Promise.reject(new Error(`injected put failure for ${key}`)) : target.put(key, ...rest);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function landed(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of store.list(LANDING_PREFIX)) keys.push(e.key);
  return keys;
}

describe.each(stores)('gmp events commit-landed on a %s lake', (_name, open) => {
  it('commits every landed event once, parks the broken and invalid ones with reasons, and survives a crash before cleanup', async () => {
    const store = await open();
    const [first, second] = await landTwoObjects(store);

    // Run 1 dies after the second object is committed, before it leaves the landing area.
    const progress: LandedObjectProgress[] = [];
    await expect(
      commitLandedEvents(store, {
        clock,
        onObject: (p) => progress.push(p),
        beforeRemove: (key) => {
          if (key === second) throw new Error('killed between commit and cleanup');
        },
      }),
    ).rejects.toThrow('killed between commit and cleanup');
    expect(progress.map((p) => [p.key, p.index, p.total, p.events, p.failed])).toEqual([[first, 1, 2, 3, 2]]);
    expect(await landed(store)).toEqual([second]);

    // Run 2 finds the second object already in every partition it feeds: nothing is added.
    const rerun = await commitLandedEvents(store, { clock });
    expect(rerun).toEqual({ objects: 1, alreadyCommitted: 1, events: 0, failed: 0, unparseable: 0, tooLate: 0, duplicates: 2, partitions: 0 });
    expect(await landed(store)).toEqual([]);
    expect(await commitLandedEvents(store, { clock })).toMatchObject({ objects: 0, events: 0 });

    const events = await lakeContents(store, 'events');
    expect(events.map((e) => [e.dt, e.event_id]).sort()).toEqual([
      ['2026-12-03T10', id(1)],
      ['2026-12-03T11', id(2)],
      ['2026-12-03T11', id(4)],
      ['2026-12-03T12', id(5)],
    ]);
    // The arrival time is the API's (from the record), and the collector is the cloud path.
    expect(events.find((e) => e.event_id === id(5))).toMatchObject({ received_at: '2026-12-03T12:01:30.000Z', collector_id: 'firehose' });

    const failed = await lakeContents(store, 'failed_events');
    expect(failed.map((f) => [f.reason, f.event_id, f.collector_id]).sort()).toEqual([
      ['invalid_json', null, 'firehose'],
      ['no_user', id(3), 'firehose'],
    ]);
    expect(failed.find((f) => f.reason === 'invalid_json')?.payload).toBe('{"received_at":1796299080000,"event":{"event_id":"trunc');
  });

  it('finishes an object whose commit died between two partitions, without doubling the first', async () => {
    const failing: { on: RegExp | undefined } = { on: undefined };
    const store = withFailingPuts(await open(), failing);
    const key = objectKey('2026-12-03T12', 3);
    await store.put(key, gzipSync([wrapped(view(10, '2026-12-03T10:00:00Z')), wrapped(view(11, '2026-12-03T11:00:00Z'))].join('\n') + '\n'));
    failing.on = /events\/dt=2026-12-03T11\/_manifest\.json$/;
    await expect(commitLandedEvents(store, { clock })).rejects.toThrow(/injected put failure/);
    failing.on = undefined;
    expect(await commitLandedEvents(store, { clock })).toMatchObject({ objects: 1, alreadyCommitted: 0, partitions: 1 });
    expect((await lakeContents(store, 'events')).map((e) => e.event_id).sort()).toEqual([id(10), id(11)]);
    expect(await landed(store)).toEqual([]);
  });
});
