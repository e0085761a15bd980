import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore, openPartitionWriter } from '../lake/index.js';
import { testWorkspace } from '../tests/helpers/workspace.js';
import { repairLakePartition } from './lake-repair.js';
import { verifyLakeFiles } from './lake-verify.js';

describe('repairLakePartition', () => {
  it('says why a damaged file of data gmp does not fetch cannot be repaired, and leaves it reported', async () => {
    // No API is called: nothing here is fetched.
    const ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9/api', key: 'k', now: '2026-12-05T12:00:00Z' });
    const store = new LocalObjectStore(path.join(ws.config.home, 'lake'));
    const writer = await openPartitionWriter({ store, source: 'events', entity: 'events', dt: '2026-12-05T03', runId: 'collector-1' });
    for (const id of ['a', 'b', 'c']) await writer.write({ event_id: id });
    const [file] = (await writer.commit({ pages: 0, requests: 0 })).files;
    const local = store.localPathFor(file!.key);
    await writeFile(local, Buffer.from(await readFile(local)).fill(0, 20, 30));

    const verified = await verifyLakeFiles(ws, { partition: '2026-12-05' });
    expect(verified.damaged.map((c) => [c.key, c.repair])).toEqual([[file!.key, 'gmp lake repair events/events --partition 2026-12-05T03']]);

    const report = await repairLakePartition(ws, { asset: 'events/events', partition: '2026-12-05T03' });
    expect(report.run).toBeUndefined();
    expect(report.unrepairable).toMatch(/^events\/events is not fetched by gmp .* restore each damaged file from a backup/);
    expect(report.remaining.map((c) => c.key)).toEqual([file!.key]);
    await expect(repairLakePartition(ws, { asset: 'rawg/nope', partition: '2026-12-05' })).rejects.toMatchObject({ code: 'SELECTION_INVALID' });
  });
});
