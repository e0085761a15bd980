import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

/**
 * One part file being built: lines are gzip-compressed as they arrive, so a part costs its
 * compressed size in memory, not its raw size.
 */
export class GzipPart {
  records = 0;
  private readonly gzip: Gzip = createGzip();
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.gzip.once('end', resolve);
      this.gzip.once('error', reject);
    });
    // Awaited by finish(); this only keeps an error on an abandoned part from going unhandled.
    this.ended.catch(() => undefined);
  }

  /** Adds one line (which must end with '\n'), waiting when zlib's input buffer is full. */
  async append(line: string): Promise<void> {
    this.records++;
    if (!this.gzip.write(line)) await once(this.gzip, 'drain');
  }

  /** Ends the stream and returns the complete gzip file. */
  async finish(): Promise<Buffer> {
    this.gzip.end();
    await this.ended;
    return Buffer.concat(this.chunks);
  }

  /** Drops the part without producing a file. */
  discard(): void {
    this.gzip.destroy();
    this.chunks.length = 0;
  }
}
