import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LakeError } from '../core/index.js';

/** S3's smallest part (every part but the last): https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

export interface MultipartSettings {
  /** Objects larger than this are uploaded in parts; smaller ones with one PutObject. */
  thresholdBytes: number;
  /** Size of every part but the last (≥ 5 MiB, S3's minimum). */
  partSizeBytes: number;
  /** Parts uploading at once; memory use is about (partsInFlight + 1) × partSizeBytes. */
  partsInFlight: number;
}

/** 8 MiB parts, two in flight: ~24 MiB of buffers at most, and objects up to ~78 GiB. */
export const DEFAULT_MULTIPART: MultipartSettings = {
  thresholdBytes: 8 * 1024 * 1024,
  partSizeBytes: 8 * 1024 * 1024,
  partsInFlight: 2,
};

/** Throws a non-retryable LakeError unless the settings are usable against S3. */
export function assertMultipartSettings(settings: MultipartSettings): void {
  const { thresholdBytes, partSizeBytes, partsInFlight } = settings;
  if (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0) throw invalid(`thresholdBytes ${thresholdBytes}`);
  if (!Number.isSafeInteger(partSizeBytes) || partSizeBytes < MIN_PART_BYTES) {
    throw invalid(`partSizeBytes ${partSizeBytes} (S3 rejects parts under ${MIN_PART_BYTES} bytes but the last)`);
  }
  if (!Number.isSafeInteger(partsInFlight) || partsInFlight < 1) throw invalid(`partsInFlight ${partsInFlight}`);
}

export interface MultipartTarget {
  client: S3Client;
  bucket: string;
  objectKey: string;
  contentType: string;
  /** Conditional completion (the same headers PutObject takes). */
  ifNoneMatch?: '*';
  ifMatch?: string;
  signal: AbortSignal | undefined;
}

/**
 * A running multipart upload: parts are sent as they fill (at most `partsInFlight` at once), and
 * the object appears only when `complete` succeeds. Any failure should be followed by `abort`,
 * which removes the parts S3 stored (they are billed until then).
 */
export class MultipartUpload {
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight: Promise<void>[] = [];
  private nextPart = 1;

  private constructor(
    private readonly target: MultipartTarget,
    private readonly settings: MultipartSettings,
    readonly uploadId: string,
  ) {}

  /** Starts the upload (CreateMultipartUpload). */
  static async start(target: MultipartTarget, settings: MultipartSettings): Promise<MultipartUpload> {
    const { client, bucket, objectKey, contentType, signal } = target;
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey, ContentType: contentType }), {
      abortSignal: signal,
    });
    if (created.UploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId');
    return new MultipartUpload(target, settings, created.UploadId);
  }

  /** Sends one part; waits first while `partsInFlight` parts are already uploading. */
  async upload(body: Uint8Array): Promise<void> {
    while (this.inFlight.length >= this.settings.partsInFlight) await this.inFlight.shift();
    const partNumber = this.nextPart++;
    if (partNumber > MAX_PARTS) throw invalid(`object needs more than ${MAX_PARTS} parts of ${this.settings.partSizeBytes} bytes`);
    const { client, bucket, objectKey, signal } = this.target;
    const sent = client
      .send(new UploadPartCommand({ Bucket: bucket, Key: objectKey, UploadId: this.uploadId, PartNumber: partNumber, Body: body }), {
        abortSignal: signal,
      })
      .then((response) => {
        this.parts.push({ PartNumber: partNumber, ETag: response.ETag });
      });
    // Awaited later (in order, or by complete/abort); this keeps a failure from going unhandled meanwhile.
    sent.catch(() => undefined);
    this.inFlight.push(sent);
  }

  /**
   * Waits for every part, then completes the object (CompleteMultipartUpload). Throws the first
   * failed part's error only once no part is still uploading, so an `abort` that follows is final.
   */
  async complete(): Promise<void> {
    // Not one by one: a part that failed early would hand control to abort() while later parts
    // were still uploading, and S3 keeps (and bills) a part that lands after the abort.
    const settled = await Promise.allSettled(this.inFlight.splice(0));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const { client, bucket, objectKey, signal, ifNoneMatch, ifMatch } = this.target;
    const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: objectKey,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: parts },
        ...(ifNoneMatch === undefined ? {} : { IfNoneMatch: ifNoneMatch }),
        ...(ifMatch === undefined ? {} : { IfMatch: ifMatch }),
      }),
      { abortSignal: signal },
    );
  }

  /**
   * Lets the parts in flight settle, then aborts the upload (AbortMultipartUpload, without the
   * run's signal: an aborted run is the usual reason). Resolves true when S3 confirmed the abort.
   */
  async abort(): Promise<boolean> {
    await Promise.allSettled(this.inFlight.splice(0));
    const { client, bucket, objectKey } = this.target;
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: this.uploadId }));
      return true;
    } catch {
      // Left to the bucket's AbortIncompleteMultipartUpload lifecycle rule.
      return false;
    }
  }
}

/** Accumulates chunks and hands out fixed-size parts, copying each byte once. */
export class ChunkQueue {
  private chunks: Uint8Array[] = [];
  size = 0;

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
  }

  /** Removes and returns the first `bytes` bytes (or everything left, when fewer). */
  take(bytes: number): Buffer {
    const n = Math.min(bytes, this.size);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const used = Math.min(head.byteLength, n - filled);
      out.set(head.subarray(0, used), filled);
      filled += used;
      if (used === head.byteLength) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    this.size -= n;
    return out;
  }
}

function invalid(what: string): LakeError {
  return new LakeError(`invalid S3 multipart setting: ${what}`, { retryable: false });
}
