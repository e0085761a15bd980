import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CanceledError, HttpError, LakeError, fixedClock, silentLogger, type AssetContext, type MaterializeResult } from '../../core/index.js';
import { LocalObjectStore, openPartitionWriter, readManifest, readRecords } from '../../lake/index.js';
import { sendJson, startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import { createHttpClient } from '../http/index.js';
import { RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS } from '../sources/rawg/index.js';
import { createDetailAssets } from './create-detail-assets.js';
import type { IngestionResources } from './create-ingestion-assets.js';

const DAY = '2024-05-01';
const [asset] = createDetailAssets(RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS);

/** What the fake API knows: detail bodies by id (a missing id answers 404, `'bad'` an invalid item). */
let details: Map<number, unknown>;
/** When set, every request answers 500. */
let failing = false;
let server: TestServer;
let lake: LocalObjectStore;
let runNo = 0;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (failing) return sendJson(res, 500, { detail: 'Server error' });
    const id = Number(/\/games\/(\d+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1]);
    const body = details.get(id) as { __status?: number; __hold?: true } | undefined;
    if (body === undefined) return sendJson(res, 404, { detail: 'Not found.' });
    // Held: never answered, so the request is still in flight whatever happens to its siblings.
    if (body.__hold) return;
    if (body.__status) sendJson(res, body.__status, { error: 'The key parameter is not provided' });
    else sendJson(res, 200, body);
  });
});

afterAll(() => server.close());

beforeEach(() => {
  lake = new LocalObjectStore(tempDir('gmp-details-'));
  details = new Map();
  failing = false;
  server.requests.length = 0;
});

const detail = (id: number, updated: string) => ({ id, slug: `game-${id}`, name: `Game ${id}`, updated, developers: [{ id: id * 10, name: `Dev ${id}`, slug: `dev-${id}` }] });

async function commitGames(games: { id: number; updated: string }[]): Promise<void> {
  const writer = await openPartitionWriter({ store: lake, source: 'rawg', entity: 'games', dt: DAY, runId: `games-${++runNo}` });
  for (const g of games) await writer.write({ ...g, slug: `game-${g.id}`, name: `Game ${g.id}`, _dt: DAY });
  await writer.commit({ pages: 1, requests: 1 });
}

function materialize(): Promise<MaterializeResult> {
  const resources: IngestionResources = {
    lake,
    http: () => createHttpClient({ baseUrl: `${server.url}/api`, apiKey: 'detail-key', timeoutMs: 2000, maxRetries: 0, requestsPerSecond: 1000, concurrency: 4 }),
    ingestion: { snapshotMaxPages: 10, pageConcurrency: 3 },
  };
  const ctx: AssetContext<IngestionResources> = {
    runId: `details-${++runNo}`,
    assetKey: asset!.key,
    partitionKey: DAY,
    partitionKeys: [DAY],
    signal: new AbortController().signal,
    clock: fixedClock(`2024-05-02T0${runNo % 10}:00:00Z`),
    logger: silentLogger,
    resources,
  };
  return asset!.materialize(ctx);
}

async function committedDetails(): Promise<Record<string, unknown>[]> {
  const manifest = await readManifest(lake, 'rawg', 'game_details', DAY);
  const out: Record<string, unknown>[] = [];
  for await (const r of readRecords(lake, manifest!)) out.push(r);
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}

const detailRequests = () => server.requests.filter((r) => /\/api\/games\/\d+/.test(r.url)).length;

describe('rawg/game_details', () => {
  it('is partitioned like rawg/games and reads it', () => {
    expect(asset).toMatchObject({ key: 'rawg/game_details', kind: 'ingestion', deps: [{ key: 'rawg/games' }], partitions: { type: 'daily', start: '2015-01-01' } });
  });

  it("fetches the detail of every game the partition lists, and a re-run fetches none of them again", async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }, { id: 2, updated: '2024-05-01T09:00:00' }, { id: 3, updated: '2024-05-01T10:00:00' }]);
    for (const id of [1, 2, 3]) details.set(id, detail(id, `2024-05-01T1${id}:00:00`));
    const first = await materialize();
    expect(first).toMatchObject({ rows: 3, requests: 3, metadata: { listed: 3, fetched: 3, carried: 0, gone: 0 } });
    expect(detailRequests()).toBe(3);
    const before = await committedDetails();
    expect(before.map((d) => (d.developers as { name: string }[])[0]!.name)).toEqual(['Dev 1', 'Dev 2', 'Dev 3']);

    const again = await materialize();
    expect(again).toMatchObject({ rows: 3, requests: 0, metadata: { fetched: 0, carried: 3 } });
    expect(detailRequests()).toBe(3);
    const after = await committedDetails();
    // The same details, now committed by the new run; their fetch time is the original one.
    expect(after.map(({ _run_id, ...d }) => d)).toEqual(before.map(({ _run_id, ...d }) => d));
    expect(new Set(after.map((d) => d._run_id)).size).toBe(1);
    expect(after[0]!._run_id).not.toBe(before[0]!._run_id);
  });

  it("fetches again only the games whose listed `updated` is newer than their committed detail", async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }, { id: 2, updated: '2024-05-01T09:00:00' }]);
    details.set(1, detail(1, '2024-05-01T08:00:00'));
    details.set(2, detail(2, '2024-05-01T09:00:00'));
    await materialize();
    // Game 2 changes again later that day; the games partition is re-fetched and lists it newer.
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }, { id: 2, updated: '2024-05-01T21:30:00' }, { id: 4, updated: '2024-05-01T22:00:00' }]);
    details.set(2, { ...detail(2, '2024-05-01T21:30:00'), name: 'Game 2 (renamed)' });
    details.set(4, detail(4, '2024-05-01T22:00:00'));
    server.requests.length = 0;
    const result = await materialize();
    expect(result).toMatchObject({ requests: 2, metadata: { listed: 3, fetched: 2, carried: 1 } });
    expect(server.requests.map((r) => new URL(r.url, 'http://x').pathname).sort()).toEqual(['/api/games/2', '/api/games/4']);
    expect((await committedDetails()).map((d) => d.name)).toEqual(['Game 1', 'Game 2 (renamed)', 'Game 4']);
  });

  it('drops games deleted since the list (404) and keeps invalid details apart, without failing', async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }, { id: 2, updated: '2024-05-01T09:00:00' }, { id: 3, updated: '2024-05-01T10:00:00' }]);
    details.set(1, detail(1, '2024-05-01T08:00:00'));
    details.set(3, { id: 3, slug: '', name: 'no slug' });
    const result = await materialize();
    expect(result).toMatchObject({ rows: 1, requests: 3, metadata: { fetched: 1, gone: 1, invalid_records: 1 } });
    const manifest = await readManifest(lake, 'rawg', 'game_details', DAY);
    expect(manifest).toMatchObject({ records: 1, invalid_records: 1 });
  });

  it('says which partition to materialize first when rawg/games has none, and writes nothing', async () => {
    const error = await materialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakeError);
    expect(String(error)).toMatch(/rawg\/games has no committed partition 2024-05-01/);
    expect((error as LakeError).hint).toMatch(/gmp materialize --select rawg\/games\+ --partition 2024-05-01/);
    expect(await readManifest(lake, 'rawg', 'game_details', DAY)).toBeUndefined();
  });

  it('reports the request that failed, not the sibling requests it canceled', async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }, { id: 2, updated: '2024-05-01T09:00:00' }]);
    details.set(1, { ...detail(1, '2024-05-01T08:00:00'), __hold: true });
    details.set(2, { __status: 401 });
    const error = await materialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(CanceledError);
    expect((error as HttpError).status).toBe(401);
  });

  it('fails, keeping the committed details, when every one of many detail requests answers 404 (a wrong base URL)', async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }]);
    details.set(1, detail(1, '2024-05-01T08:00:00'));
    await materialize();
    const committed = await committedDetails();
    const many = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, updated: '2024-05-01T23:00:00' }));
    await commitGames(many);
    details.clear();
    await expect(materialize()).rejects.toThrow(/every one of the 12 detail requests .* answered 404/);
    expect(await committedDetails()).toEqual(committed);
    // A small day whose few games were all deleted since the list is just that.
    await commitGames(many.slice(0, 3));
    expect(await materialize()).toMatchObject({ rows: 0, metadata: { gone: 3 } });
  });

  it('repairs a corrupt committed detail manifest by fetching every detail again', async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }]);
    details.set(1, detail(1, '2024-05-01T08:00:00'));
    await materialize();
    await lake.put('raw/rawg/game_details/dt=2024-05-01/_manifest.json', Buffer.from('{"truncated'));
    const repaired = await materialize();
    expect(repaired).toMatchObject({ rows: 1, requests: 1, metadata: { fetched: 1, carried: 0 } });
    expect((await committedDetails()).map((d) => d.id)).toEqual([1]);
  });

  it("compares RAWG's offset-less `updated` as UTC, whatever the machine's time zone (across a DST gap)", async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York'; // 2024-03-10 02:00-03:00 does not exist there
    try {
      await commitGames([{ id: 1, updated: '2024-03-10T02:30:00' }]);
      details.set(1, detail(1, '2024-03-10T02:30:00'));
      await materialize();
      await commitGames([{ id: 1, updated: '2024-03-10T03:15:00' }]);
      details.set(1, { ...detail(1, '2024-03-10T03:15:00'), name: 'Game 1 (edited)' });
      expect(await materialize()).toMatchObject({ requests: 1, metadata: { fetched: 1, carried: 0 } });
      expect((await committedDetails())[0]!.name).toBe('Game 1 (edited)');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('leaves the committed partition untouched when the API fails mid-way', async () => {
    await commitGames([{ id: 1, updated: '2024-05-01T08:00:00' }]);
    details.set(1, detail(1, '2024-05-01T08:00:00'));
    await materialize();
    const committed = await committedDetails();
    await commitGames([{ id: 1, updated: '2024-05-01T23:00:00' }, { id: 5, updated: '2024-05-01T23:00:00' }]);
    // A 500 on every detail request (no retries configured): the step fails, the old commit stays.
    failing = true;
    await expect(materialize()).rejects.toThrow(/500/);
    expect(await committedDetails()).toEqual(committed);
  });
});
