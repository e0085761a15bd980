import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore, openPartitionWriter, type CommittedFile } from '../../lake/index.js';
import { createLakeRecordReader } from './lake-record-reader.js';

let dir: string;
let store: LocalObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gmp-record-reader-'));
  store = new LocalObjectStore(path.join(dir, 'lake'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function committedFile(): Promise<CommittedFile> {
  const writer = await openPartitionWriter({ store, source: 'rawg', entity: 'games', dt: '2025-06-29', runId: 'r1' });
  for (const id of [1, 2, 3]) await writer.write({ id });
  return (await writer.commit({ pages: 1, requests: 1 })).files[0]!;
}

async function lines(read: ReturnType<typeof createLakeRecordReader>, file: Parameters<ReturnType<typeof createLakeRecordReader>>[0]): Promise<string[]> {
  const out: string[] = [];
  for await (const record of read(file)) out.push(record.json);
  return out;
}

describe('createLakeRecordReader (what Postgres loads)', () => {
  it("checks a file against its manifest's size and checksum before any record is loaded", async () => {
    const file = await committedFile();
    const read = createLakeRecordReader(store, path.join(dir, 'scratch'));
    const ref = { key: file.key, dt: '2025-06-29', runId: 'r1', bytes: file.bytes, sha256: file.sha256! };
    expect(await lines(read, ref)).toEqual(['{"id":1}', '{"id":2}', '{"id":3}']);

    const local = store.localPathFor(file.key);
    const bytes = await readFile(local);
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(local, bytes);
    await expect(lines(read, ref)).rejects.toMatchObject({
      code: 'LAKE_FILE_DAMAGED',
      message: `damaged lake file ${file.key} (${local}): its SHA-256 is not the one its manifest records`,
      hint: expect.stringContaining('gmp lake repair rawg/games --partition 2025-06-29'),
    });
  });
});
