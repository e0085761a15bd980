import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../ingestion/sandbox/index.js';
import { materialize } from '../../orchestration/index.js';
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
  });
});
