import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearSecrets, fixedClock } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { collectGarbage, createObjectStore, type ObjectStore } from '../../lake/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';
import { runGmpAsync, spawnGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-s3-kill-key-27182';
const SECRET = 'e2e-s3-kill-secret-16180';
const BUCKET = 'gmp-e2e-kill';
const PREFIX = 'lake';
const DAY = '2025-06-29';
const partitionPrefix = `${PREFIX}/raw/rawg/games/dt=${DAY}/`;
const manifestKey = `${partitionPrefix}_manifest.json`;
// The grace the pipeline's own GC gives folders of runs that may still be writing (rawg-definitions.ts).
const ORPHAN_GRACE_MS = 60 * 60 * 1000;
// The ingestion asset and the mart over it (not rawg/games+, which also fetches one detail per game).
const MATERIALIZE = ['materialize', '--select', '+marts/fct_game_daily_snapshot', '--partition', DAY];

let moto: MotoServer;
let sandbox: Sandbox;
let s3: S3Client;
let lake: ObjectStore;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMotoServer();
  // A big day (~6k games, 150+ pages) so the killed run has put a part file (5,000 records) before it dies.
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', games: 2000, burst: { day: DAY, count: 6_000 } });
  const credentials = { accessKeyId: 'e2e-access-key', secretAccessKey: SECRET };
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  lake = await createObjectStore({ type: 's3', bucket: BUCKET, prefix: PREFIX, region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
  cwd = tempDir('gmp-s3-kill-');
  env = {
    RAWG_API_KEY: KEY,
    RAWG_BASE_URL: sandbox.url,
    RAWG_REQUESTS_PER_SECOND: '1000',
    RAWG_CONCURRENCY: '4',
    GMP_LAKE_URL: `s3://${BUCKET}/${PREFIX}`,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRET,
  };
});

afterAll(async () => {
  s3.destroy();
  await sandbox.close();
  await moto.stop();
  clearSecrets();
});

async function partitionKeys(): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: partitionPrefix }));
  return (page.Contents ?? []).map((o) => o.Key!);
}
const runOf = (key: string) => /\/run=([^/]+)\//.exec(key)?.[1];
const runFiles = async (runId: string) => (await partitionKeys()).filter((k) => runOf(k) === runId).map((k) => k.slice(PREFIX.length + 1));
async function committedRun(): Promise<string> {
  const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: manifestKey }))).Body!.transformToString();
  return (JSON.parse(body) as { run_id: string }).run_id;
}
/** Row counts the warehouse answers (`gmp query`): the partition in raw and in the mart, and per run. */
async function counts(runIds: Record<string, string> = {}): Promise<Record<string, number>> {
  const perRun = Object.entries(runIds).map(([name, id]) => `, (select count(*) from raw.rawg_games where run_id = '${id}') as ${name}`);
  const sql =
    `select (select count(*) from raw.rawg_games where dt = '${DAY}') as raw, ` +
    `(select count(distinct run_id) from raw.rawg_games where dt = '${DAY}') as runs, ` +
    `(select count(*) from marts.fct_game_daily_snapshot where dt = '${DAY}') as mart${perRun.join('')}`;
  const r = await runGmpAsync(['query', sql, '--json'], { cwd, env });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Record<string, number>[])[0]!;
}

describe('a run killed with SIGKILL mid-partition, with the lake on S3 (moto on loopback)', () => {
  it('commits nothing of the killed run, a re-run commits exactly one run, and GC removes the orphans after the grace', { timeout: 180_000 }, async () => {
    const expected = sandbox.catalogue.countUpdatedOn(DAY);
    const first = await runGmpAsync(MATERIALIZE, { cwd, env });
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const committed = await committedRun();
    expect(await counts()).toEqual({ raw: expected, runs: 1, mart: expected });

    // Slow the API down and start a re-run. Once it has stored a part file, every later API request
    // hangs, so the ~25 pages it still needs never arrive and it cannot commit; then kill it. (The
    // sandbox answers from this process, so a slow poll here slows the run down just as much.)
    sandbox.faults.setLatency(25);
    const child = spawnGmp(MATERIALIZE, { cwd, env });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // S3 tells nobody when an object lands: ask the bucket (the observable state) until it has one.
    const killedRun = await vi.waitFor(
      async () => {
        const run = (await partitionKeys()).map(runOf).find((r) => r !== undefined && r !== committed);
        if (run === undefined) throw new Error(`the second run stored no part file: ${child.output()}`);
        return run;
      },
      { timeout: 60_000, interval: 10 },
    );
    sandbox.faults.push({ type: 'hang', times: 1_000_000 });
    child.kill('SIGKILL');
    await exited;
    sandbox.faults.clear();
    sandbox.faults.setLatency(0);
    expect(child.signalCode).toBe('SIGKILL');

    // Nothing of the killed run is committed or visible; the previous commit still is.
    const orphans = await runFiles(killedRun);
    expect(orphans.length).toBeGreaterThan(0);
    expect((await partitionKeys()).filter((k) => k.endsWith('_manifest.json'))).toEqual([manifestKey]);
    expect(await committedRun()).toBe(committed);
    expect(await counts({ killed: killedRun, previous: committed })).toEqual({ raw: expected, runs: 1, mart: expected, killed: 0, previous: expected });

    // The re-run commits exactly one new run with every game of the day.
    const rerun = await runGmpAsync(MATERIALIZE, { cwd, env });
    expect(rerun.status, rerun.stderr + rerun.stdout).toBe(0);
    const rerunId = await committedRun();
    expect([committed, killedRun]).not.toContain(rerunId);
    expect(await counts({ rerun: rerunId, killed: killedRun })).toEqual({ raw: expected, runs: 1, mart: expected, rerun: expected, killed: 0 });
    // The superseded run is gone; the killed run's files are younger than the grace, so the re-run kept them.
    expect(await runFiles(committed)).toEqual([]);
    expect(await runFiles(killedRun)).toEqual(orphans);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toEqual([]);

    // Past the grace, garbage collection removes exactly the orphans.
    const gc = (now: Date) => collectGarbage({ store: lake, source: 'rawg', entity: 'games', dt: DAY, olderThanMs: ORPHAN_GRACE_MS, clock: fixedClock(now) });
    expect((await gc(new Date())).deletedKeys).toEqual([]);
    const report = await gc(new Date(Date.now() + ORPHAN_GRACE_MS + 60_000));
    expect(report.deletedKeys).toEqual(orphans);
    expect(new Set((await partitionKeys()).map(runOf).filter((r) => r !== undefined))).toEqual(new Set([rerunId]));

    for (const output of [first.stdout, first.stderr, rerun.stdout, rerun.stderr, child.output()]) {
      expect(output).not.toContain(KEY);
      expect(output).not.toContain(SECRET);
    }
  });
});
