import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { LakeLocation } from '../core/index.js';
import { LakeError, registerSecret } from '../core/index.js';
import { assertValidKey, assertValidPrefix } from './assert-valid-key.js';
import type { ListEntry, ObjectInfo, ObjectStore, PutOptions, SignalOptions } from './object-store.js';
import { canceled, throwIfAborted } from './throw-if-aborted.js';

export type S3LakeLocation = Extract<LakeLocation, { type: 's3' }>;

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TimeoutError',
  // A concurrent conditional write on the same key; retrying resolves it to success or 412.
  'ConditionalRequestConflict',
]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** An ObjectStore over an S3 bucket (AWS, MinIO, moto) with every key under the location's prefix. */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;

  constructor(location: S3LakeLocation, options: { client?: S3Client } = {}) {
    this.bucket = location.bucket;
    this.prefix = location.prefix.split('/').filter((s) => s !== '').join('/');
    if (this.prefix !== '') assertValidKey(this.prefix);
    // Config registers these too; a location built by hand must not leak them either.
    registerSecret(location.credentials?.secretAccessKey);
    registerSecret(location.credentials?.sessionToken);
    this.client = options.client ?? new S3Client(clientConfig(location));
  }

  describe(): string {
    return `s3://${this.bucket}${this.prefix === '' ? '' : `/${this.prefix}`}`;
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    const { signal } = options;
    const objectKey = this.objectKey(key);
    throwIfAborted(signal, `put ${key}`);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: objectKey,
      Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
      ContentType: options.contentType ?? 'application/octet-stream',
      ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
    });
    try {
      await this.client.send(command, { abortSignal: signal });
    } catch (error) {
      if (options.ifNoneMatch && statusOf(error) === 412) {
        throw new LakeError(`put ${key} in ${this.describe()} refused: the key already exists`, {
          retryable: false,
          cause: error,
          context: { lakeKey: key, exists: true, s3Error: nameOf(error), status: 412 },
        });
      }
      throw this.wrap('PutObject', key, error, signal);
    }
  }

  async get(key: string, options: SignalOptions = {}): Promise<Uint8Array> {
    const { signal } = options;
    const objectKey = this.objectKey(key);
    throwIfAborted(signal, `get ${key}`);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
        abortSignal: signal,
      });
      if (response.Body === undefined) return new Uint8Array();
      const bytes = await response.Body.transformToByteArray();
      throwIfAborted(signal, `get ${key}`);
      return bytes;
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey') {
        throw new LakeError(`get ${key} in ${this.describe()} failed: no such key`, {
          retryable: false,
          cause: error,
          context: { lakeKey: key, notFound: true, s3Error: 'NoSuchKey', status: statusOf(error) },
        });
      }
      throw this.wrap('GetObject', key, error, signal);
    }
  }

  async head(key: string, options: SignalOptions = {}): Promise<ObjectInfo | undefined> {
    const { signal } = options;
    const objectKey = this.objectKey(key);
    throwIfAborted(signal, `head ${key}`);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
        abortSignal: signal,
      });
      const info: ObjectInfo = { size: response.ContentLength ?? 0 };
      if (response.ETag !== undefined) info.etag = response.ETag;
      return info;
    } catch (error) {
      // HEAD responses carry no body, so a 404 is all S3 can say (also for a missing bucket).
      if (statusOf(error) === 404 || nameOf(error) === 'NotFound' || nameOf(error) === 'NoSuchKey') return undefined;
      throw this.wrap('HeadObject', key, error, signal);
    }
  }

  async *list(prefix: string, options: SignalOptions = {}): AsyncIterable<ListEntry> {
    assertValidPrefix(prefix);
    const { signal } = options;
    const root = this.prefix === '' ? '' : `${this.prefix}/`;
    let token: string | undefined;
    do {
      throwIfAborted(signal, `list ${prefix}`);
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${root}${prefix}`, ContinuationToken: token }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw this.wrap('ListObjectsV2', prefix, error, signal);
      }
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(root.length);
        // Skip folder markers ("a/") and keys this API could not address anyway.
        if (key === undefined || !isAddressable(key)) continue;
        throwIfAborted(signal, `list ${prefix}`);
        const entry: ListEntry = { key, size: object.Size ?? 0 };
        if (object.LastModified !== undefined) entry.lastModified = object.LastModified;
        yield entry;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async delete(key: string, options: SignalOptions = {}): Promise<void> {
    const { signal } = options;
    const objectKey = this.objectKey(key);
    throwIfAborted(signal, `delete ${key}`);
    try {
      // S3 answers 204 for a missing key, which makes delete idempotent for free.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }), { abortSignal: signal });
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey') return;
      throw this.wrap('DeleteObject', key, error, signal);
    }
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  private wrap(operation: string, key: string, error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || nameOf(error) === 'AbortError') return canceled(signal, `${operation} ${key}`);
    if (error instanceof LakeError) return error;
    const name = nameOf(error) ?? 'Error';
    const status = statusOf(error);
    const detail = (error as SdkErrorShape | null)?.message ?? String(error);
    const where = `${this.describe()} key ${JSON.stringify(key)}`;
    return new LakeError(`S3 ${operation} failed for ${where}: ${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`, {
      retryable: isTransient(error),
      cause: error,
      context: { lakeKey: key, bucket: this.bucket, operation, s3Error: name, status },
    });
  }
}

function clientConfig(location: S3LakeLocation): S3ClientConfig {
  const config: S3ClientConfig = {
    region: location.region,
    forcePathStyle: location.forcePathStyle,
    maxAttempts: 5,
    // The SDK's default CRC32 trailers are rejected by several S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (location.endpoint !== undefined) config.endpoint = location.endpoint;
  if (location.credentials !== undefined) config.credentials = { ...location.credentials };
  return config;
}

function isAddressable(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

function nameOf(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function isTransient(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  if (shape?.$retryable !== undefined && shape.$retryable !== null && shape.$retryable !== false) return true;
  const status = statusOf(error);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (RETRYABLE_NAMES.has(nameOf(error) ?? '')) return true;
  const code = shape?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}
