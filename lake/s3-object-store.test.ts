import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets } from '../core/index.js';
import { S3ObjectStore, type S3LakeLocation } from './s3-object-store.js';

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
