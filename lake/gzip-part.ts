import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

/**
 * One part file being written: lines are gzip-compressed as they arrive and the compressed bytes
 * stream straight into the store's put (S3 sends them in parts once they pass the multipart
 * threshold), so a part never sits whole in memory. When the upload fails, the next `append`
 * (or `finish`) rejects with its error.
 */
const BATCH_CHARS = 64 * 1024;
const DEFAULT_CHUNK = 16 * 1024;

export class GzipPart {
  records = 0;
  /** Compressed bytes handed to the store so far (the file size once `finish` resolved). */
  bytes = 0;
  /** Hashed as the bytes stream out, so the file's checksum costs no second read. */
  private readonly hash: Hash = createHash('sha256');
  private readonly gzip: Gzip;
  private readonly batchChars: number;
  private readonly upload: Promise<void>;
  private failure: { error: unknown } | undefined;
  private pending: string[] = [];
  private pendingLength = 0;

  /**
   * `write` receives the compressed stream, e.g. `(body) => store.put(key, body)`. `batchChars`
   * (default 64 K) is how much text gathers before it is compressed: a busy process passes more, so
   * that a part needs fewer turns of its event loop (the bytes written are the same).
   */
  constructor(write: (body: AsyncIterable<Uint8Array>) => Promise<void>, options: { batchChars?: number } = {}) {
    this.batchChars = options.batchChars ?? BATCH_CHARS;
    this.gzip = createGzip({ chunkSize: Math.max(DEFAULT_CHUNK, Math.floor(this.batchChars / 4)) });
    // Errors reach the caller through the upload; this keeps an abandoned stream from crashing.
    this.gzip.on('error', () => undefined);
    this.upload = write(this.compressed());
    this.upload.catch((error: unknown) => {
      this.failure ??= { error };
      this.gzip.destroy();
    });
  }

  /** Adds one line (which must end with '\n'), waiting while the upload is behind. */
  async append(line: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure.error;
    this.records++;
    // Lines gather into ~64 KB writes: a zlib write per line costs more than compressing it.
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength < this.batchChars) return;
    await this.flushPending();
  }

  /** Ends the stream and waits until the store holds the whole file; returns its size and hex SHA-256. */
  async finish(): Promise<{ bytes: number; sha256: string }> {
    if (this.failure !== undefined) throw this.failure.error;
    await this.flushPending();
    this.gzip.end();
    await this.upload;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  private async flushPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.gzip.write(text)) return;
    const stop = new AbortController();
    try {
      // The upload settling first means nobody reads any more: 'drain' would never come.
      await Promise.race([once(this.gzip, 'drain', { signal: stop.signal }), this.upload.then(endedEarly)]);
    } catch (error) {
      // A failed upload destroys the stream, whose AbortError would only echo why: report the
      // upload's own failure (a full disk, a lost connection) instead.
      throw (await this.upload.then(() => undefined, (failure: unknown) => failure)) ?? error;
    } finally {
      stop.abort();
    }
  }

  /** Drops the part: the stream is destroyed, so the store writes nothing; waits for the upload to settle. */
  async discard(): Promise<void> {
    this.gzip.destroy();
    await this.upload.catch(() => undefined);
  }

  private async *compressed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of this.gzip as AsyncIterable<Buffer>) {
      this.bytes += chunk.byteLength;
      this.hash.update(chunk);
      yield chunk;
    }
  }
}

function endedEarly(): never {
  throw new Error('the part upload ended before the part did');
}
