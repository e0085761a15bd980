import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { LocalObjectStore, createObjectStore } from '../../lake/index.js';
import { startMotoServer, type MotoServer } from '../helpers/moto-server.js';
import { describeObjectStoreConformance } from './object-store-conformance.js';

const BUCKET = 'conformance-lake';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-key-secret' };
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

describeObjectStoreConformance('local folder', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gmp-lake-'));
  tempDirs.push(dir);
  // A root that does not exist yet: the store must create it on the first put.
  return new LocalObjectStore(path.join(dir, 'lake'));
});

describeObjectStoreConformance('s3 (moto)', async () => {
  if (moto === undefined) throw new Error('moto_server is not running');
  return createObjectStore({
    type: 's3',
    bucket: BUCKET,
    prefix: `runs/${randomUUID()}`,
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials,
  });
});
