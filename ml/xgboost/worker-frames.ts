import type { Readable } from 'node:stream';

/**
 * The framing between the parent and the training process: a frame is a 4-byte little-endian
 * length, a JSON header of that length, then the raw bytes of the header's `parts` (their byte
 * lengths), so matrices travel as float32 bytes, never as JSON.
 */
export interface FrameHeader {
  type: string;
  parts?: number[];
  [key: string]: unknown;
}

export interface Frame {
  header: FrameHeader;
  parts: Uint8Array[];
}

/** The buffers of one frame, ready to write in order; typed arrays are viewed, not copied. */
export function encodeFrame(header: Omit<FrameHeader, 'parts'>, parts: readonly ArrayBufferView[] = []): Buffer[] {
  const json = Buffer.from(JSON.stringify({ ...header, parts: parts.map((p) => p.byteLength) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  return [length, json, ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))];
}

/** Reads frames from a stream; `next()` resolves to null at a clean end between frames. */
export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.notify();
    });
    stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('error', (error: Error) => {
      this.failure = error;
      this.notify();
    });
  }

  async next(): Promise<Frame | null> {
    const length = await this.read(4, true);
    if (length === null) return null;
    const size = new DataView(length.buffer).getUint32(0, true);
    const header = JSON.parse(Buffer.from((await this.read(size, false))!).toString('utf8')) as FrameHeader;
    const parts: Uint8Array[] = [];
    for (const bytes of header.parts ?? []) parts.push((await this.read(bytes, false))!);
    return { header, parts };
  }

  /** Exactly `n` bytes in a fresh, aligned buffer; null only at a clean end when `endOk`. */
  private async read(n: number, endOk: boolean): Promise<Uint8Array | null> {
    while (this.buffered < n) {
      if (this.failure) throw this.failure;
      if (this.ended) {
        if (endOk && this.buffered === 0) return null;
        throw new Error(`stream ended inside a frame (${this.buffered} of ${n} bytes)`);
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    this.buffered -= n;
    return out;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** A float32 view of a frame part (parts are fresh, aligned buffers). */
export function float32Part(part: Uint8Array): Float32Array {
  return new Float32Array(part.buffer, part.byteOffset, part.byteLength / 4);
}
