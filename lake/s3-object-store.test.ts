import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { LakeError, clearSecrets, loadConfig } from '../core/index.js';
import { freePort, startTestServer, type TestServer } from '../tests/helpers/test-server.js';
import { tempDir } from '../tests/helpers/workspace.js';
import { S3_RETRY, S3ObjectStore, type S3LakeLocation, type S3ObjectStoreOptions } from './s3-object-store.js';

const location: S3LakeLocation = {
  type: 's3',
  bucket: 'lake-bucket',
  prefix: '/team/lake/',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'very-secret-access-key' },
};

function sdkError(name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error {
  const error = new Error(`${name} happened`) as Error & Record<string, unknown>;
  error.name = name;
  if (status !== undefined) error['$metadata'] = { httpStatusCode: status };
  return Object.assign(error, extra);
}

function failingStore(error: unknown): { store: S3ObjectStore; sent: unknown[] } {
  const sent: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      sent.push(command.input);
      throw error;
    },
  } as unknown as S3Client;
  return { store: new S3ObjectStore(location, { client }), sent };
}

afterEach(() => clearSecrets());

describe('S3ObjectStore error mapping', () => {
  it('describes itself as s3://bucket/prefix and prefixes keys', async () => {
    const { store, sent } = failingStore(sdkError('InternalError', 500));
    expect(store.describe()).toBe('s3://lake-bucket/team/lake');
    await store.get('a/b').catch(() => undefined);
    expect(sent[0]).toMatchObject({ Bucket: 'lake-bucket', Key: 'team/lake/a/b' });
  });

  it.each([
    ['InternalError', 500, true],
    ['ServiceUnavailable', 503, true],
    ['SlowDown', 503, true],
    ['TooManyRequests', 429, true],
    ['AccessDenied', 403, false],
    ['NoSuchBucket', 404, false],
    ['InvalidArgument', 400, false],
  ])('maps %s (HTTP %s) to retryable=%s', async (name, status, retryable) => {
    const { store } = failingStore(sdkError(name, status));
    const error = await store.put('x/y', 'body').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'LakeError', code: 'LAKE_IO', retryable, context: { s3Error: name, status } });
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect((error as Error).message).toContain('x/y');
  });

  it('treats network failures as retryable and never prints the secret', async () => {
    const network = Object.assign(new Error('socket hang up using very-secret-access-key'), { code: 'ECONNRESET' });
    const { store } = failingStore(network);
    const error = await store.get('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAKE_IO', retryable: true });
    expect(JSON.stringify(error)).not.toContain('very-secret-access-key');
    expect((error as Error).message).not.toContain('very-secret-access-key');
  });

  it('maps NoSuchKey to not-found, 404 on head to undefined, and 412 on ifNoneMatch to exists', async () => {
    expect(await failingStore(sdkError('NoSuchKey', 404)).store.get('k').catch((e: unknown) => e)).toMatchObject({
      context: { notFound: true },
      retryable: false,
    });
    expect(await failingStore(sdkError('NotFound', 404)).store.head('k')).toBeUndefined();
    const { store, sent } = failingStore(sdkError('PreconditionFailed', 412));
    expect(await store.put('k', 'v', { ifNoneMatch: true }).catch((e: unknown) => e)).toMatchObject({
      context: { exists: true },
      retryable: false,
    });
    expect(sent[0]).toMatchObject({ IfNoneMatch: '*' });
    await failingStore(sdkError('NoSuchKey', 404)).store.delete('k');
  });

  it('turns an SDK abort into CanceledError', async () => {
    const controller = new AbortController();
    const client = {
      send: async () => {
        controller.abort();
        throw sdkError('AbortError', undefined);
      },
    } as unknown as S3Client;
    const store = new S3ObjectStore(location, { client });
    await expect(store.get('k', { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELED' });
  });
});

interface CapturedRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
}

/** An SDK request handler that answers 200 without any network, keeping the requests it was given. */
function capturingHandler(): { handler: { handle(request: CapturedRequest): Promise<unknown> }; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  return {
    requests,
    handler: {
      async handle(request: CapturedRequest) {
        requests.push(request);
        return { response: { statusCode: 200, headers: { etag: '"e"' }, body: Readable.from([]) } };
      },
    },
  };
}

async function requestFor(env: Record<string, string>): Promise<CapturedRequest> {
  const config = loadConfig({ GMP_LAKE_URL: 's3://lake-bucket/team', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'addr-secret-123', ...env }, tempDir());
  if (config.lake.type !== 's3') throw new Error('expected an S3 lake');
  const { handler, requests } = capturingHandler();
  const store = new S3ObjectStore(config.lake, { requestHandler: handler as unknown as S3ObjectStoreOptions['requestHandler'] });
  await store.put('a/b.json', '{}');
  expect(requests).toHaveLength(1);
  expect(JSON.stringify(requests[0]!.headers)).not.toContain('addr-secret-123');
  return requests[0]!;
}

describe('S3ObjectStore addressing (from the environment, no network)', () => {
  it('uses virtual-hosted https URLs on AWS by default', async () => {
    const request = await requestFor({ AWS_REGION: 'eu-west-1' });
    expect(request).toMatchObject({ protocol: 'https:', hostname: 'lake-bucket.s3.eu-west-1.amazonaws.com', path: '/team/a/b.json' });
  });

  it('uses path style with a custom endpoint (MinIO, moto) unless AWS_S3_FORCE_PATH_STYLE=false', async () => {
    expect(await requestFor({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toMatchObject({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9000,
      path: '/lake-bucket/team/a/b.json',
    });
    expect(await requestFor({ AWS_ENDPOINT_URL_S3: 'http://minio.internal:9000', AWS_S3_FORCE_PATH_STYLE: 'false' })).toMatchObject({
      hostname: 'lake-bucket.minio.internal',
      path: '/team/a/b.json',
    });
  });

  it('uses path style on AWS when AWS_S3_FORCE_PATH_STYLE=true', async () => {
    expect(await requestFor({ AWS_REGION: 'eu-west-1', AWS_S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({
      hostname: 's3.eu-west-1.amazonaws.com',
      path: '/lake-bucket/team/a/b.json',
    });
  });

  it('names the key as an s3:// URL for other readers', () => {
    const { store } = failingStore(sdkError('InternalError', 500));
    expect(store.objectUrl('raw/x/part-00000.jsonl.gz')).toBe('s3://lake-bucket/team/lake/raw/x/part-00000.jsonl.gz');
  });

  it('refuses part sizes S3 would reject', () => {
    expect(() => new S3ObjectStore(location, { multipart: { partSizeBytes: 1024 } })).toThrow(/partSizeBytes/);
  });
});

const S3_ERROR = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>r1</RequestId></Error>`;

function storeAt(endpoint: string): S3ObjectStore {
  return new S3ObjectStore({ ...location, prefix: 'p', endpoint });
}

describe('S3ObjectStore against misbehaving servers (loopback)', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const serve = async (handler: Parameters<typeof startTestServer>[0]) => {
    const server = await startTestServer(handler);
    servers.push(server);
    return server;
  };

  it('retries 5xx answers with the standard policy and succeeds once the server recovers', async () => {
    const server = await serve((_req, res, n) => {
      _req.resume();
      if (n <= 2) {
        res.writeHead(500, { 'content-type': 'application/xml' }).end(S3_ERROR('InternalError', 'try again'));
      } else {
        res.writeHead(200, { etag: '"ok"' }).end();
      }
    });
    await storeAt(server.url).put('k', 'v');
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after 5 attempts with a retryable LakeError', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' }).end(S3_ERROR('ServiceUnavailable', 'down'));
    });
    const error = await storeAt(server.url).put('k', 'v').catch((e: unknown) => e);
    expect(server.requests).toHaveLength(S3_RETRY.maxAttempts);
    expect(error).toMatchObject({ code: 'LAKE_IO', retryable: true, context: { s3Error: 'ServiceUnavailable', status: 503 } });
  });

  it('explains AccessDenied with a hint and never prints the credentials', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' }).end(S3_ERROR('AccessDenied', 'Access Denied'));
    });
    const error = await storeAt(server.url).put('raw/k', 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakeError);
    expect(error).toMatchObject({ retryable: false, context: { s3Error: 'AccessDenied', status: 403 } });
    expect((error as LakeError).message).toContain('s3://lake-bucket/p');
    expect((error as LakeError).hint).toMatch(/s3:PutObject/);
    expect(server.requests).toHaveLength(1);
    const printed = JSON.stringify(error) + (error as Error).message + String((error as LakeError).hint);
    expect(printed).not.toContain('very-secret-access-key');
  });

  it('explains an endpoint that refuses connections', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const error = await storeAt(endpoint).get('k').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAKE_IO', retryable: true, context: { errno: 'ECONNREFUSED' } });
    expect((error as LakeError).hint).toContain(`cannot reach the S3 endpoint ${endpoint}`);
    expect((error as LakeError).hint).toContain('AWS_ENDPOINT_URL_S3');
  });

  it('explains an endpoint that is not S3 at all', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
    });
    const error = await storeAt(server.url).put('k', 'v').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAKE_IO', retryable: false });
    expect((error as LakeError).hint).toMatch(/does not answer like S3/);
  });
});
