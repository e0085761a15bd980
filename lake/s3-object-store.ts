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
import { abortableChunks } from './abortable-chunks.js';
import { assertValidKey, assertValidPrefix } from './assert-valid-key.js';
import type { ListEntry, ObjectBody, ObjectInfo, ObjectStore, PutOptions, SignalOptions } from './object-store.js';
import { s3ErrorName, s3ErrorStatus, s3LakeError, type S3Target } from './s3-errors.js';
import {
  ChunkQueue,
  DEFAULT_MULTIPART,
  MultipartUpload,
  assertMultipartSettings,
  type MultipartSettings,
} from './s3-multipart-upload.js';
import { canceled, throwIfAborted } from './throw-if-aborted.js';

export type S3LakeLocation = Extract<LakeLocation, { type: 's3' }>;

/**
 * The SDK's retry policy, stated rather than inherited: "standard" mode (exponential backoff with
 * full jitter from 100 ms, capped at 20 s, and a retry quota) for throttling, 5xx, timeouts and
 * dropped connections, 5 attempts in all. Not "adaptive": its client-side rate limiter is meant for
 * many clients sharing a throttled prefix, and would slow a single batch writer after one 503.
 * The explicit values win over AWS_MAX_ATTEMPTS / AWS_RETRY_MODE. A failure left after the last
 * attempt becomes a LakeError whose `retryable` tells the executor whether to retry the step.
 */
export const S3_RETRY = { maxAttempts: 5, retryMode: 'standard' } as const;

/** Connection and socket-inactivity limits, so a dead endpoint fails (and retries) instead of hanging. */
const S3_TIMEOUTS = { connectionTimeout: 10_000, requestTimeout: 120_000 } as const;

export interface S3ObjectStoreOptions {
  /** A ready client (tests); otherwise one is built from the location. */
  client?: S3Client;
  /** Replaces the SDK's HTTP handler of the built client (tests capture requests with it). */
  requestHandler?: S3ClientConfig['requestHandler'];
  /** When to switch to multipart uploads and how big the parts are; `DEFAULT_MULTIPART` by default. */
  multipart?: Partial<MultipartSettings>;
  /** Overrides S3_RETRY.maxAttempts (tests of failure paths use 1). */
  maxAttempts?: number;
}

/**
 * An ObjectStore over an S3 bucket (AWS, MinIO, moto) with every key under the location's prefix.
 * Objects up to `multipart.thresholdBytes` are written with one PutObject; larger ones, and
 * streamed bodies that grow past it, with a multipart upload that is aborted on any failure.
 * An upload interrupted by a crash stays pending until the bucket's lifecycle rule
 * (AbortIncompleteMultipartUpload) removes it.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly multipart: MultipartSettings;
  private readonly client: S3Client;
  private readonly target: S3Target;

  constructor(location: S3LakeLocation, options: S3ObjectStoreOptions = {}) {
    this.bucket = location.bucket;
    this.prefix = location.prefix.split('/').filter((s) => s !== '').join('/');
    if (this.prefix !== '') assertValidKey(this.prefix);
    this.multipart = { ...DEFAULT_MULTIPART, ...options.multipart };
    assertMultipartSettings(this.multipart);
    // Config registers these too; a location built by hand must not leak them either.
    registerSecret(location.credentials?.secretAccessKey);
    registerSecret(location.credentials?.sessionToken);
    this.client = options.client ?? new S3Client(s3ClientConfig(location, options));
    this.target = {
      bucket: this.bucket,
      location: this.describe(),
      region: location.region,
      endpoint: location.endpoint === undefined ? undefined : withoutUserInfo(location.endpoint),
    };
  }

  describe(): string {
    return `s3://${this.bucket}${this.prefix === '' ? '' : `/${this.prefix}`}`;
  }

  /** `s3://bucket/prefix/key`: the URL other S3 readers (DuckDB httpfs, Snowflake stages) use. */
  objectUrl(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const { signal } = options;
    const objectKey = this.objectKey(key);
    throwIfAborted(signal, `put ${key}`);
    if (options.ifMatch !== undefined && options.ifNoneMatch) {
      throw new LakeError(`put ${key}: ifMatch and ifNoneMatch exclude each other`, { retryable: false });
    }
    let upload: MultipartUpload | undefined;
    try {
      const chunks = new ChunkQueue();
      if (typeof body === 'string') chunks.push(Buffer.from(body, 'utf8'));
      else if (body instanceof Uint8Array) chunks.push(body);
      const stream =
        typeof body === 'string' || body instanceof Uint8Array ? undefined : abortableChunks(body, signal, `put ${key}`);
      const next = stream === undefined ? undefined : () => stream.next();
      try {
        let ended = next === undefined;
        while (!ended && chunks.size <= this.multipart.thresholdBytes) {
          const step = await next!();
          if (step.done) ended = true;
          else chunks.push(step.value);
        }
        if (chunks.size <= this.multipart.thresholdBytes) {
          await this.putObject(objectKey, chunks.take(chunks.size), options);
          return;
        }
        upload = await MultipartUpload.start(this.uploadTarget(objectKey, options), this.multipart);
        const { partSizeBytes } = this.multipart;
        while (!ended || chunks.size > 0) {
          if (ended || chunks.size >= partSizeBytes) {
            await upload.upload(chunks.take(partSizeBytes));
            continue;
          }
          const step = await next!();
          if (step.done) ended = true;
          else chunks.push(step.value);
        }
        await upload.complete();
        upload = undefined;
      } catch (error) {
        // Tells a streaming producer to stop (a gzip stream is destroyed by its iterator's return).
        await stream?.return(undefined).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      const aborted = upload === undefined ? true : await upload.abort();
      const wrapped = this.putError(key, error, options);
      if (upload !== undefined && !aborted && wrapped instanceof LakeError) wrapped.context['pendingUploadId'] = upload.uploadId;
      throw wrapped;
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
      if (s3ErrorName(error) === 'NoSuchKey') {
        throw new LakeError(`get ${key} in ${this.describe()} failed: no such key`, {
          retryable: false,
          cause: error,
          context: { lakeKey: key, notFound: true, s3Error: 'NoSuchKey', status: s3ErrorStatus(error) },
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
      const name = s3ErrorName(error);
      if (s3ErrorStatus(error) === 404 || name === 'NotFound' || name === 'NoSuchKey') return undefined;
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
        if (object.ETag !== undefined) entry.etag = object.ETag;
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
      if (s3ErrorName(error) === 'NoSuchKey') return;
      throw this.wrap('DeleteObject', key, error, signal);
    }
  }

  private async putObject(objectKey: string, body: Uint8Array, options: PutOptions): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: body,
        ContentType: options.contentType ?? 'application/octet-stream',
        ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        ...(options.ifMatch === undefined ? {} : { IfMatch: options.ifMatch }),
      }),
      { abortSignal: options.signal },
    );
  }

  private uploadTarget(objectKey: string, options: PutOptions) {
    return {
      client: this.client,
      bucket: this.bucket,
      objectKey,
      contentType: options.contentType ?? 'application/octet-stream',
      signal: options.signal,
      ...(options.ifNoneMatch ? { ifNoneMatch: '*' as const } : {}),
      ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }),
    };
  }

  /** A failed conditional write says which precondition failed; anything else is wrapped. */
  private putError(key: string, error: unknown, options: PutOptions): Error {
    const status = s3ErrorStatus(error);
    const name = s3ErrorName(error);
    if (options.ifNoneMatch && status === 412) {
      return new LakeError(`put ${key} in ${this.describe()} refused: the key already exists`, {
        retryable: false,
        cause: error,
        context: { lakeKey: key, exists: true, preconditionFailed: true, s3Error: name, status },
      });
    }
    // S3 answers If-Match on a missing key with 404 NoSuchKey: the expected version is gone too.
    if (options.ifMatch !== undefined && (status === 412 || name === 'NoSuchKey')) {
      return new LakeError(`put ${key} in ${this.describe()} refused: it no longer has etag ${options.ifMatch}`, {
        retryable: false,
        cause: error,
        context: { lakeKey: key, preconditionFailed: true, s3Error: name, status },
      });
    }
    return this.wrap('PutObject', key, error, options.signal);
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  private wrap(operation: string, key: string, error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || s3ErrorName(error) === 'AbortError') return canceled(signal, `${operation} ${key}`);
    if (error instanceof Error && error.name === 'CanceledError') return error;
    return s3LakeError(operation, key, error, this.target);
  }
}

/** The SDK client settings for a lake location: endpoint, addressing style, region, retries, timeouts. */
export function s3ClientConfig(location: S3LakeLocation, options: Pick<S3ObjectStoreOptions, 'requestHandler' | 'maxAttempts'> = {}): S3ClientConfig {
  const config: S3ClientConfig = {
    region: location.region,
    // false (AWS): virtual-hosted https://bucket.s3.<region>.amazonaws.com/key; true (MinIO, moto): <endpoint>/bucket/key.
    forcePathStyle: location.forcePathStyle,
    maxAttempts: options.maxAttempts ?? S3_RETRY.maxAttempts,
    retryMode: S3_RETRY.retryMode,
    requestHandler: options.requestHandler ?? { ...S3_TIMEOUTS },
    // The SDK's default CRC32 trailers are rejected by several S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (location.endpoint !== undefined) config.endpoint = location.endpoint;
  if (location.credentials !== undefined) config.credentials = { ...location.credentials };
  return config;
}

function withoutUserInfo(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid endpoint URL)';
  }
}

function isAddressable(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}
