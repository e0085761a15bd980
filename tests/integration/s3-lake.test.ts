import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { materialize } from '../../app/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';
import { count, testWorkspace } from '../helpers/workspace.js';

const KEY = 's3-itest-key-2718';
const BUCKET = 'gmp-itest-lake';
const DAY = '2025-06-28';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-secret-9' };

let moto: MotoServer;
let sandbox: Sandbox;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMotoServer();
  sandbox = await startSandbox({ asOf: '2025-06-30', apiKey: KEY });
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3.destroy();
  await sandbox.close();
  await moto.stop();
  clearSecrets();
});

describe('the first partition with the lake on an S3-compatible server (moto on loopback)', () => {
  it('commits to S3 and builds the marts from a local mirror of the committed files', async () => {
    const env = {
      GMP_LAKE_URL: `s3://${BUCKET}/zone`,
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      GMP_LOG_LEVEL: 'debug',
    };
    const ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', env });
    const first = await materialize(ws, { select: '+marts/fct_game_daily_snapshot +marts/dim_games', partition: DAY });
    expect(first.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
    const expected = sandbox.catalogue.countUpdatedOn(DAY);
    expect(await count(ws, 'select * from marts.fct_game_daily_snapshot')).toBe(expected);
    expect(await count(ws, 'select * from marts.dim_games')).toBe(expected);

    const keys = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `zone/raw/rawg/games/dt=${DAY}/` }))).Contents ?? []).map((o) => o.Key!);
    const afterFirst = await keys();
    expect(afterFirst.filter((k) => k.endsWith('_manifest.json'))).toHaveLength(1);

    // A re-run replaces the partition in S3 and in the mirror: same rows, one committed run left.
    await materialize(ws, { select: 'rawg/games+', partition: DAY });
    expect(await count(ws, 'select * from raw.rawg_games')).toBe(expected);
    expect(await count(ws, 'select distinct run_id from raw.rawg_games')).toBe(1);
    const runFolders = new Set((await keys()).filter((k) => k.includes('/run=')).map((k) => k.split('/run=')[1]!.split('/')[0]));
    expect(runFolders.size).toBe(1);
    expect(await count(ws, 'select * from marts.fct_game_daily_snapshot')).toBe(expected);

    // httpfs is not installed here: DuckDB read local copies of exactly the committed files, and
    // each run said why once, at debug level, without any credential.
    const cached = path.join(ws.config.home, 'cache', 'lake', 'raw', 'rawg', 'games', `dt=${DAY}`);
    expect(readdirSync(cached)).toEqual([`run=${[...runFolders][0]}`]);
    const log = readFileSync(path.join(ws.config.home, 'logs', 'gmp.jsonl'), 'utf8');
    const fallbacks = log.split('\n').filter((line) => line.includes('the warehouse reads the S3 lake from a local mirror'));
    expect(fallbacks).toHaveLength(2);
    for (const line of fallbacks) {
      expect(JSON.parse(line)).toMatchObject({ level: 20, lake: `s3://${BUCKET}/zone`, reason: expect.stringMatching(/^httpfs cannot be loaded/) });
    }
    expect(log).not.toContain(credentials.secretAccessKey);
  });

  it('fails the ingestion step with the bucket named and a hint when the bucket does not exist', async () => {
    const env = {
      GMP_LAKE_URL: 's3://gmp-no-such-bucket/zone',
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    const ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', env });
    const run = await materialize(ws, { select: 'rawg/games', partition: DAY });
    const failed = run.steps.find((s) => s.step.asset === 'rawg/games');
    expect(failed?.status).toBe('failed');
    const lakeError = failed?.error?.cause as { code?: string; hint?: string; message?: string; retryable?: boolean } | undefined;
    expect(lakeError).toMatchObject({ code: 'LAKE_IO', retryable: false });
    expect(lakeError?.message).toContain('NoSuchBucket');
    expect(lakeError?.hint).toContain('the bucket "gmp-no-such-bucket" does not exist');
    expect(JSON.stringify(failed?.error)).not.toContain(credentials.secretAccessKey);
    expect(existsSync(path.join(ws.config.home, 'cache', 'lake'))).toBe(false);
  });
});
