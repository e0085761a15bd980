import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';
import { runGmpAsync, type GmpResult } from '../helpers/run-gmp.js';
import { mountTinyFileSystem, type TinyFileSystem } from '../helpers/tiny-file-system.js';
import { tempDir } from '../helpers/workspace.js';

const KEY = 'e2e-integrity-key-4242';
const DAY = '2025-06-29';
const REPAIR = `gmp lake repair rawg/games --partition ${DAY}`;
// The model that reads raw.rawg_games (and so the lake's files) for the day.
const READ_RAW = ['materialize', '--select', 'staging/stg_rawg__games_daily', '--partition', DAY];

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', games: 1500 });
});

afterAll(async () => {
  await sandbox.close();
  clearSecrets();
});

const baseEnv = () => ({ RAWG_API_KEY: KEY, RAWG_BASE_URL: sandbox.url, RAWG_REQUESTS_PER_SECOND: '1000', RAWG_CONCURRENCY: '4' });
const output = (r: GmpResult) => r.stdout + r.stderr;

function flipByte(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1]! ^= 0xff;
  return copy;
}

async function stagedRows(cwd: string, env: Record<string, string>): Promise<number> {
  const r = await runGmpAsync(['query', `select count(*) as n from staging.stg_rawg__games_daily where dt = '${DAY}'`, '--json'], { cwd, env });
  expect(r.status, output(r)).toBe(0);
  return (JSON.parse(r.stdout) as { n: number }[])[0]!.n;
}

describe('a damaged committed file of a local lake', () => {
  it('fails the next read naming the file and its repair; gmp lake verify lists it; the repair works', { timeout: 120_000 }, async () => {
    const cwd = tempDir('gmp-integrity-');
    const env = baseEnv();
    const first = await runGmpAsync(['materialize', '--select', '+staging/stg_rawg__games_daily', '--partition', DAY], { cwd, env });
    expect(first.status, output(first)).toBe(0);
    const expected = sandbox.catalogue.countUpdatedOn(DAY);
    expect(await stagedRows(cwd, env)).toBe(expected);

    const partition = path.join(cwd, '.gmp', 'lake', 'raw', 'rawg', 'games', `dt=${DAY}`);
    const [run] = readdirSync(partition).filter((d) => d.startsWith('run='));
    const file = path.join(partition, run!, 'part-00000.jsonl.gz');
    const key = `raw/rawg/games/dt=${DAY}/${run}/part-00000.jsonl.gz`;
    writeFileSync(file, flipByte(readFileSync(file)));

    const read = await runGmpAsync(READ_RAW, { cwd, env });
    expect(read.status).toBe(1);
    expect(output(read)).toContain(`damaged lake file ${key} (${file}): its SHA-256 is not the one its manifest records`);
    expect(output(read)).toContain(REPAIR);

    const verify = await runGmpAsync(['lake', 'verify'], { cwd, env });
    expect(verify.status).toBe(1);
    expect(verify.stdout.split('\n').filter((l) => l.startsWith('DAMAGED'))).toEqual([
      `DAMAGED ${key} (${file}): its SHA-256 is not the one its manifest records; repair: ${REPAIR}`,
    ]);

    const repair = await runGmpAsync(REPAIR.split(' ').slice(1), { cwd, env });
    expect(repair.status, output(repair)).toBe(0);
    expect(repair.stdout).toMatch(/fetched again by run \S+: succeeded/);
    expect(repair.stdout).toContain(`rawg/games ${DAY}: repaired, every file intact`);

    const again = await runGmpAsync(READ_RAW, { cwd, env });
    expect(again.status, output(again)).toBe(0);
    expect(await stagedRows(cwd, env)).toBe(expected);
    expect((await runGmpAsync(['lake', 'verify'], { cwd, env })).status).toBe(0);
    for (const r of [first, read, verify, repair, again]) expect(output(r)).not.toContain(KEY);
  });
});

describe('a damaged file of an S3 lake (moto on loopback) and of its local mirror', () => {
  const BUCKET = 'gmp-e2e-integrity';
  const SECRET = 'e2e-integrity-secret-1618';
  let moto: MotoServer;
  let s3: S3Client;

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'e2e', secretAccessKey: SECRET } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('names the object and its repair, and the repair fetches the partition (or downloads the copy) again', { timeout: 180_000 }, async () => {
    let cwd = tempDir('gmp-integrity-s3-');
    const env = {
      ...baseEnv(),
      GMP_LAKE_URL: `s3://${BUCKET}/lake`,
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'e2e',
      AWS_SECRET_ACCESS_KEY: SECRET,
    };
    const first = await runGmpAsync(['materialize', '--select', '+staging/stg_rawg__games_daily', '--partition', DAY], { cwd, env });
    expect(first.status, output(first)).toBe(0);
    const expected = sandbox.catalogue.countUpdatedOn(DAY);
    const manifest = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `lake/raw/rawg/games/dt=${DAY}/_manifest.json` }))).Body!.transformToString(),
    ) as { files: { key: string }[] };
    const key = manifest.files[0]!.key;
    const object = { Bucket: BUCKET, Key: `lake/${key}` };

    // The lake's own object is damaged (same size). The machine that wrote it reads its verified
    // copy; another one (an empty mirror, as a fresh container has) refuses to copy it.
    const body = await (await s3.send(new GetObjectCommand(object))).Body!.transformToByteArray();
    await s3.send(new PutObjectCommand({ ...object, Body: flipByte(body) }));
    const writer = cwd;
    cwd = tempDir('gmp-integrity-s3-reader-');
    const read = await runGmpAsync(READ_RAW, { cwd, env });
    expect(read.status).toBe(1);
    expect(output(read)).toContain(`damaged lake file ${key} (s3://${BUCKET}/lake/${key}): its SHA-256 is not the one its manifest records`);
    expect(output(read)).toContain(REPAIR);
    const verify = await runGmpAsync(['lake', 'verify', '--asset', 'rawg/games'], { cwd, env });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain(`DAMAGED ${key} (s3://${BUCKET}/lake/${key}): its SHA-256 is not the one its manifest records; repair: ${REPAIR}`);
    const repair = await runGmpAsync(REPAIR.split(' ').slice(1), { cwd, env });
    expect(repair.status, output(repair)).toBe(0);
    expect(repair.stdout).toContain(`rawg/games ${DAY}: repaired, every file intact`);
    const again = await runGmpAsync(READ_RAW, { cwd, env });
    expect(again.status, output(again)).toBe(0);
    expect(await stagedRows(cwd, env)).toBe(expected);

    // A damaged cached copy: verify names it, the repair downloads it again (nothing is fetched from the API).
    const repaired = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `lake/raw/rawg/games/dt=${DAY}/_manifest.json` }))).Body!.transformToString(),
    ) as { files: { key: string }[] };
    const cachedKey = repaired.files[0]!.key;
    const cached = path.join(cwd, '.gmp', 'cache', 'lake', ...cachedKey.split('/'));
    const good = readFileSync(cached);
    writeFileSync(cached, flipByte(good));
    const verifyCache = await runGmpAsync(['lake', 'verify'], { cwd, env });
    expect(verifyCache.status).toBe(1);
    expect(verifyCache.stdout).toContain(`DAMAGED cached copy of ${cachedKey} (${cached}): its SHA-256 is not the one its manifest records`);
    const requestsBefore = sandbox.stats().requests;
    const recache = await runGmpAsync(REPAIR.split(' ').slice(1), { cwd, env });
    expect(recache.status, output(recache)).toBe(0);
    expect(recache.stdout).toContain('downloaded again: 1 cached copies');
    expect(sandbox.stats().requests).toBe(requestsBefore);
    expect(Buffer.compare(readFileSync(cached), good)).toBe(0);
    expect((await runGmpAsync(['lake', 'verify'], { cwd, env })).status).toBe(0);
    // The writer's copy of the superseded run is dropped once its raw view is refreshed.
    expect((await runGmpAsync(READ_RAW, { cwd: writer, env })).status).toBe(0);
    expect((await runGmpAsync(['lake', 'verify'], { cwd: writer, env })).status).toBe(0);
    for (const r of [first, read, verify, repair, again, verifyCache, recache]) {
      expect(output(r)).not.toContain(KEY);
      expect(output(r)).not.toContain(SECRET);
    }
  });
});

describe('a full disk under the lake (a real tmpfs)', () => {
  let fs: TinyFileSystem;

  beforeAll(() => {
    fs = mountTinyFileSystem(2 * 1024 * 1024);
  });

  afterAll(() => {
    fs?.unmount();
  });

  it('fails the run saying so (path, space), exits 1, and keeps the previous commit readable', { timeout: 120_000 }, async () => {
    const cwd = tempDir('gmp-integrity-full-');
    const env = { ...baseEnv(), GMP_LAKE_URL: path.join(fs.dir, 'lake') };
    const first = await runGmpAsync(['materialize', '--select', '+staging/stg_rawg__games_daily', '--partition', DAY], { cwd, env });
    expect(first.status, output(first)).toBe(0);
    const manifest = readFileSync(path.join(fs.dir, 'lake', 'raw', 'rawg', 'games', `dt=${DAY}`, '_manifest.json'), 'utf8');
    fs.fill();

    const full = await runGmpAsync(['materialize', '--select', 'rawg/games', '--partition', DAY], { cwd, env });
    expect(full.status).toBe(1);
    expect(output(full)).toMatch(
      new RegExp(`disk full: ${fs.dir}/lake/raw/rawg/games/dt=${DAY}/run=\\S+/part-00000\\.jsonl\\.gz needs (at least ~\\d+\\.\\d MB more \\(\\d+\\.\\d MB free on its file system\\)|more than the \\d+\\.\\d MB free on its file system)`),
    );
    expect(output(full)).not.toMatch(/damaged|corrupt/);
    expect(readFileSync(path.join(fs.dir, 'lake', 'raw', 'rawg', 'games', `dt=${DAY}`, '_manifest.json'), 'utf8')).toBe(manifest);
    expect(await stagedRows(cwd, env)).toBe(sandbox.catalogue.countUpdatedOn(DAY));

    fs.unfill();
    const later = await runGmpAsync(['materialize', '--select', 'rawg/games', '--partition', DAY], { cwd, env });
    expect(later.status, output(later)).toBe(0);
  });
});
