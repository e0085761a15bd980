import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { checkEvent, commitEventBatch, compactEvents, removeCompactedFiles, verifyCompactedDays, type LogEntry } from '../../ingestion/index.js';
import { committedFileLocations, createObjectStore, listCommittedPartitions, listReadablePartitions, LocalObjectStore, readManifest, type ObjectStore } from '../../lake/index.js';
import { createDuckDbWarehouse, duckDbDialect } from '../../warehouse/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';

// Three UTC days of events, compacted at NOW with an age of 72 h: 2026-12-05 and 2026-12-06 are
// old enough (their last hour ended before 2026-12-07T12:00), 2026-12-07 is not.
const BUCKET = 'compact-events';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-compact-secret' };
const NOW = fixedClock('2026-12-10T12:00:00Z');
const AGE_MS = 72 * 3_600_000;
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const tempDirs: string[] = [];
let moto: MotoServer | undefined;
const tempDir = async (prefix: string): Promise<string> => {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

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
  ['local folder', async () => new LocalObjectStore(await tempDir('gmp-compact-lake-'))],
  [
    's3 (moto)',
    async () => {
      if (moto === undefined) throw new Error('moto_server is not running');
      return createObjectStore({ type: 's3', bucket: BUCKET, prefix: `lake-${randomUUID()}`, region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
    },
  ],
];

const event = (n: number, time: string): LogEntry => {
  const checked = checkEvent({ event_id: id(n), event: 'view', user_id: `u${n}`, timestamp: time, properties: { platform: 'pc' } }, new Date(time), 'c1');
  if (!checked.ok) throw new Error(checked.failure.detail);
  return { kind: 'event', event: checked.event };
};
const refused = (time: string): LogEntry => {
  const checked = checkEvent({ event: 'view', timestamp: time }, new Date(time), 'c1');
  if (checked.ok) throw new Error('expected a refusal');
  return { kind: 'failed', failure: checked.failure };
};

let segment = 0;
/** Commits one batch as the collector would, a minute after its last event. */
async function commit(store: ObjectStore, entries: LogEntry[], at: string): Promise<void> {
  await commitEventBatch(store, { logId: 'log1', throughSegment: ++segment, entries }, { clock: fixedClock(new Date(Date.parse(at) + 60_000).toISOString()) });
}

/**
 * Per day: hour 01 in two batches (an append), hour 13 in one, one refused event; event 2 again in
 * hour 13 of the first day (a client retry with another timestamp). 18 distinct events, 19 committed.
 */
async function commitThreeDays(store: ObjectStore): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  segment = 0;
  for (const [d, day] of ['2026-12-05', '2026-12-06', '2026-12-07'].entries()) {
    const n = d * 10;
    const batches: [LogEntry[], string][] = [
      [[event(n + 1, `${day}T01:05:00Z`), event(n + 2, `${day}T01:10:00Z`)], `${day}T01:10:00Z`],
      [[event(n + 3, `${day}T01:20:00Z`), event(n + 4, `${day}T01:30:00Z`), refused(`${day}T01:30:00Z`)], `${day}T01:30:00Z`],
      [[event(n + 5, `${day}T13:00:00Z`), event(n + 6, `${day}T13:30:00Z`)], `${day}T13:30:00Z`],
    ];
    for (const [entries, at] of batches) {
      await commit(store, entries, at);
      for (const e of entries) if (e.kind === 'event') expected.set(e.event.event_id, JSON.stringify(e.event));
    }
  }
  await commit(store, [event(2, '2026-12-05T13:45:00Z')], '2026-12-05T13:45:00Z');
  return expected;
}

/** raw.events and raw.failed_events as the pipeline builds them: DuckDB over what readers must read. */
async function readRaw(store: ObjectStore, entity: 'events' | 'failed_events'): Promise<{ dt: string; run_id: string; event_id: string | null; value: string }[]> {
  const manifests = await listReadablePartitions(store, 'events', entity);
  const files = await committedFileLocations({ store, manifests, cacheDir: await tempDir('gmp-compact-cache-'), direct: false });
  const w = await createDuckDbWarehouse({ path: ':memory:' });
  try {
    await w.execute(['CREATE SCHEMA raw', duckDbDialect.rawTableView(`raw.${entity}`, files, { hourly: true, columns: entity === 'events' ? ['event_id'] : ['event_id', 'reason'] })]);
    const rows = await w.query(`SELECT dt, run_id, event_id, CAST(value AS VARCHAR) AS value FROM raw.${entity} ORDER BY dt, event_id`);
    return rows as { dt: string; run_id: string; event_id: string | null; value: string }[];
  } finally {
    await w.close();
  }
}

/**
 * raw.events holds every committed copy exactly once (`copies`: the ids committed twice, not yet
 * deduplicated by a compaction of their day), and each compacted event as it was first committed.
 */
async function expectEachEventOnce(store: ObjectStore, expected: Map<string, string>, copies: string[] = []): Promise<void> {
  const rows = await readRaw(store, 'events');
  expect(rows.map((r) => r.event_id).sort()).toEqual([...expected.keys(), ...copies].sort());
  for (const row of rows) if (!copies.includes(row.event_id!)) expect(JSON.parse(row.value)).toEqual(JSON.parse(expected.get(row.event_id!)!));
  expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(r.dt) && r.run_id.startsWith('log1-'))).toBe(true);
  expect((await readRaw(store, 'failed_events')).map((r) => r.dt)).toEqual(['2026-12-05T01', '2026-12-06T01', '2026-12-07T01']);
}

async function hourlyDataFiles(store: ObjectStore, entity: string, day: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list(`raw/events/${entity}/dt=${day}T`)) if (!key.endsWith('_manifest.json')) keys.push(key);
  return keys;
}

describe.each(stores)('event compaction on a %s lake', (_name, makeStore) => {
  it('compacts old days into checksummed daily Parquet; readers see every event once, before and after', async () => {
    const store = await makeStore();
    const expected = await commitThreeDays(store);
    expect(expected.size).toBe(18);
    await expectEachEventOnce(store, expected, [id(2)]);

    const workDir = await tempDir('gmp-compact-work-');
    const result = await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-1', workDir });
    expect(result.days.map((d) => `${d.entity} ${d.day} ${d.action} ${d.eventsIn}->${d.eventsOut} emptied ${d.emptied}/${d.hours}`)).toEqual([
      'events 2026-12-05 compacted 7->6 emptied 2/2',
      'events 2026-12-06 compacted 6->6 emptied 2/2',
      'failed_events 2026-12-05 compacted 1->1 emptied 1/1',
      'failed_events 2026-12-06 compacted 1->1 emptied 1/1',
    ]);
    // Until the files go, readers skip them through the daily manifest; after, they are gone.
    await expectEachEventOnce(store, expected);
    const removed = await removeCompactedFiles(store, result, { clock: NOW });
    expect(removed.length).toBe(9); // the hourly files: 4 and 3 of events, 1 and 1 of failed_events
    await expectEachEventOnce(store, expected);

    const daily = await readManifest(store, 'events', 'events', '2026-12-05');
    expect(daily?.files).toEqual([{ key: 'raw/events/events/dt=2026-12-05/run=compact-1/part-00000.parquet', records: 6, bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(Object.keys((daily?.metadata.compaction as { absorbed: object }).absorbed)).toEqual(['2026-12-05T01', '2026-12-05T13']);
    for (const day of ['2026-12-05', '2026-12-06']) expect(await hourlyDataFiles(store, 'events', day)).toEqual([]);
    expect((await hourlyDataFiles(store, 'events', '2026-12-07')).length).toBe(3);
    // The emptied hours keep their write-ahead-log marks: a replayed batch is still recognised.
    const hour = (await listCommittedPartitions(store, 'events', 'events')).find((m) => m.dt === '2026-12-05T01');
    expect(hour).toMatchObject({ records: 0, files: [], metadata: { wal: { log1: 2 }, compacted_into: { dt: '2026-12-05' } } });
    const replay = { logId: 'log1', throughSegment: 2, entries: [event(3, '2026-12-05T01:20:00Z')] };
    expect(await commitEventBatch(store, replay, { clock: fixedClock('2026-12-05T01:31:00Z') })).toMatchObject({ partitions: 0, skipped: 1 });
    expect((await verifyCompactedDays(store)).map((c) => c.ok)).toEqual([true, true, true, true]);

    // Nothing new: a second compaction changes nothing.
    const again = await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-2', workDir });
    expect(again.days).toEqual([]);
    await expectEachEventOnce(store, expected);
  });

  it('a crash after the daily commit, then a re-run, leaves every event once', async () => {
    const store = await makeStore();
    const expected = await commitThreeDays(store);
    const workDir = await tempDir('gmp-compact-work-');
    await expect(
      compactEvents(store, {
        clock: NOW,
        olderThanMs: AGE_MS,
        runId: 'compact-crash',
        workDir,
        afterDailyCommit: (entity, day) => {
          if (entity === 'events' && day === '2026-12-06') throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // The first day is done, the second committed but its hours still whole: each event once.
    await expectEachEventOnce(store, expected);

    const rerun = await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-rerun', workDir });
    expect(rerun.days.map((d) => `${d.entity} ${d.day} ${d.action} emptied ${d.emptied}`)).toEqual([
      'events 2026-12-05 cleaned emptied 0',
      'events 2026-12-06 cleaned emptied 2',
      'failed_events 2026-12-05 compacted emptied 1',
      'failed_events 2026-12-06 compacted emptied 1',
    ]);
    await expectEachEventOnce(store, expected);
    await removeCompactedFiles(store, rerun, { clock: NOW });
    await expectEachEventOnce(store, expected);
    expect(await hourlyDataFiles(store, 'events', '2026-12-06')).toEqual([]);
  });

  it('merges an event committed into a compacted day later, keeping the copy compacted first', async () => {
    const store = await makeStore();
    const expected = await commitThreeDays(store);
    const workDir = await tempDir('gmp-compact-work-');
    await removeCompactedFiles(store, await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-1', workDir }), { clock: NOW });

    // A late event and a late copy of event 13, into an emptied hour and a new one of 2026-12-06.
    await commit(store, [event(99, '2026-12-06T01:59:00Z'), event(13, '2026-12-06T22:00:00Z')], '2026-12-07T00:00:00Z');
    expected.set(id(99), (await readRaw(store, 'events')).find((r) => r.event_id === id(99))!.value);
    await expectEachEventOnce(store, expected, [id(13)]);

    const merge = await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-2', workDir });
    expect(merge.days.map((d) => `${d.entity} ${d.day} ${d.action} ${d.eventsIn}->${d.eventsOut}`)).toEqual(['events 2026-12-06 merged 8->7']);
    await removeCompactedFiles(store, merge, { clock: NOW });
    await expectEachEventOnce(store, expected);
    const thirteen = (await readRaw(store, 'events')).find((r) => r.event_id === id(13))!;
    expect(thirteen.dt).toBe('2026-12-06T01');
    expect(await hourlyDataFiles(store, 'events', '2026-12-06')).toEqual([]);
    // The superseded Parquet is gone; the new one is the day's only file.
    const files: string[] = [];
    for await (const { key } of store.list('raw/events/events/dt=2026-12-06/')) files.push(key);
    expect(files).toEqual(['raw/events/events/dt=2026-12-06/_manifest.json', 'raw/events/events/dt=2026-12-06/run=compact-2/part-00000.parquet']);
  });

  it('refuses to merge into a damaged Parquet, and names it', async () => {
    const store = await makeStore();
    await commitThreeDays(store);
    const workDir = await tempDir('gmp-compact-work-');
    await compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-1', workDir });
    const key = 'raw/events/events/dt=2026-12-05/run=compact-1/part-00000.parquet';
    const bytes = await store.get(key);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    await store.put(key, bytes);
    expect((await verifyCompactedDays(store)).filter((c) => !c.ok)).toEqual([{ entity: 'events', day: '2026-12-05', key, ok: false, problem: 'its SHA-256 is not the one its manifest records' }]);
    await commit(store, [event(98, '2026-12-05T05:00:00Z')], '2026-12-05T05:00:00Z');
    await expect(compactEvents(store, { clock: NOW, olderThanMs: AGE_MS, runId: 'compact-2', workDir })).rejects.toThrow(`corrupt lake file ${key}`);
  });
});
