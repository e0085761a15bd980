import { mkdirSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The collector's write-ahead log: records appended as lines to numbered segment files and made
 * durable with fdatasync before their append resolves — so an HTTP 2xx is only ever sent for
 * events that survive a `kill -9` or a power cut. Concurrent appends share one write and one sync
 * (group commit): while a sync runs, the next appends gather into the next group.
 *
 * A line is `<crc>\t<json>\n` (the record's CRC-32 in 8 hex digits): on replay a torn last line
 * — written but never synced, so never acknowledged — fails its check and is dropped.
 */
export interface WalRecord {
  /** The segment holding the record (segments are committed and released whole). */
  segment: number;
  json: string;
}

export interface WalStats {
  /** Bytes durable in segments not yet released (committed to the lake). */
  backlogBytes: number;
  segments: number;
  /** When the oldest unreleased record was appended (ms since epoch), if any. */
  oldestAppendMs: number | null;
  syncs: number;
  records: number;
}

const SEGMENT = /^wal-(\d{12})\.log$/;
const segmentName = (n: number): string => `wal-${String(n).padStart(12, '0')}.log`;
const crcOf = (json: string): string => crc32(json).toString(16).padStart(8, '0');

interface Pending {
  lines: string[];
  bytes: number;
  resolve: (records: WalRecord[]) => void;
  reject: (error: unknown) => void;
}

export class WriteAheadLog {
  private handle: FileHandle | undefined;
  private size = 0;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private failure: unknown;
  private rotateWanted = false;
  private syncs = 0;
  private records = 0;
  /** Sizes and first-append times of the segments not yet released, by number. */
  private readonly live = new Map<number, { bytes: number; firstAppendMs: number | null }>();

  private constructor(
    readonly dir: string,
    private segment: number,
    private readonly segmentBytes: number,
  ) {}

  /**
   * Opens the log in `dir` (created if missing) and returns what it holds, the records of every
   * segment in order, torn tails dropped. Appends go to a fresh segment.
   */
  static async open(dir: string, options: { segmentBytes?: number } = {}): Promise<{ wal: WriteAheadLog; recovered: WalRecord[] }> {
    mkdirSync(dir, { recursive: true });
    const numbers = (await readdir(dir)).flatMap((f) => (SEGMENT.test(f) ? [Number(SEGMENT.exec(f)![1])] : [])).sort((a, b) => a - b);
    const recovered: WalRecord[] = [];
    const wal = new WriteAheadLog(dir, (numbers.at(-1) ?? 0) + 1, options.segmentBytes ?? 16 * 1024 * 1024);
    for (const n of numbers) {
      const { records, bytes } = await readSegment(path.join(dir, segmentName(n)), n);
      recovered.push(...records);
      wal.live.set(n, { bytes, firstAppendMs: records.length ? (await stat(path.join(dir, segmentName(n)))).mtimeMs : null });
    }
    await wal.openSegment();
    return { wal, recovered };
  }

  /** Appends `records` (JSON texts) and resolves once they are on disk, synced, with their positions. */
  append(jsons: readonly string[]): Promise<WalRecord[]> {
    if (this.closed) return Promise.reject(new Error('the write-ahead log is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const lines = jsons.map((j) => `${crcOf(j)}\t${j}\n`);
    return new Promise<WalRecord[]>((resolve, reject) => {
      this.queue.push({ lines, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l), 0), resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** The records of segments `from` to `through` (inclusive) as they are on disk, torn tails dropped. */
  async read(from: number, through: number): Promise<WalRecord[]> {
    const records: WalRecord[] = [];
    for (const n of [...this.live.keys()].filter((k) => k >= from && k <= through).sort((a, b) => a - b)) {
      records.push(...(await readSegment(path.join(this.dir, segmentName(n)), n)).records);
    }
    return records;
  }

  /** The segment appends go to now; every earlier one is sealed (nothing more is written to it). */
  activeSegment(): number {
    return this.segment;
  }

  /** Segments before `segment` are committed elsewhere: delete them (the active one stays). */
  async release(segment: number): Promise<void> {
    for (const n of [...this.live.keys()].sort((a, b) => a - b)) {
      if (n >= segment || n === this.segment) break;
      await unlink(path.join(this.dir, segmentName(n))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      this.live.delete(n);
    }
    syncDir(this.dir);
  }

  /**
   * Starts a new segment, so that everything appended so far can be released once committed. It
   * happens in the flush loop, between two groups: never while a group is being written.
   */
  async rotate(): Promise<void> {
    if (this.closed) return;
    this.rotateWanted = true;
    await new Promise<WalRecord[]>((resolve, reject) => {
      this.queue.push({ lines: [], bytes: 0, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  stats(): WalStats {
    let backlog = 0;
    let oldest: number | null = null;
    for (const s of this.live.values()) {
      backlog += s.bytes;
      if (s.firstAppendMs !== null) oldest = oldest === null ? s.firstAppendMs : Math.min(oldest, s.firstAppendMs);
    }
    return { backlogBytes: backlog, segments: this.live.size, oldestAppendMs: oldest, syncs: this.syncs, records: this.records };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async openSegment(): Promise<void> {
    this.handle = await open(path.join(this.dir, segmentName(this.segment)), 'a');
    this.size = 0;
    this.live.set(this.segment, { bytes: 0, firstAppendMs: null });
    syncDir(this.dir);
  }

  /** Writes and syncs every queued append as one group, then the next group, until none waits. */
  private async flush(): Promise<void> {
    // Yield first: a group with nothing to write (a rotation of an empty segment) must not reach
    // the `finally` before the caller's `flushing ??=` has stored this promise, or `flushing`
    // would keep a settled promise and no later append would ever start a flush.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          if (this.size >= this.segmentBytes || (this.rotateWanted && this.size > 0)) {
            await this.handle!.close();
            this.segment++;
            await this.openSegment();
          }
          this.rotateWanted = false;
          const text = group.flatMap((p) => p.lines).join('');
          const buffer = Buffer.from(text);
          if (buffer.length > 0) {
            await this.handle!.write(buffer, 0, buffer.length, null);
            await this.handle!.datasync();
            this.syncs++;
            this.size += buffer.length;
            const live = this.live.get(this.segment)!;
            live.bytes += buffer.length;
            live.firstAppendMs ??= Date.now();
          }
          for (const p of group) {
            const records = p.lines.map((line) => ({ segment: this.segment, json: line.slice(9, -1) }));
            this.records += records.length;
            p.resolve(records);
          }
        } catch (error) {
          // A failed write or sync (a full disk): nothing of this group is acknowledged, and the
          // log refuses further appends rather than risk acknowledging after a gap.
          this.failure = error;
          for (const p of [...group, ...this.queue]) p.reject(error);
          this.queue = [];
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

async function readSegment(file: string, segment: number): Promise<{ records: WalRecord[]; bytes: number }> {
  const buffer = await readFile(file);
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const newline = buffer.indexOf(10, offset);
    if (newline < 0) break; // a torn tail: never synced, never acknowledged
    // The CRC is checked on the bytes (no string made for a line that fails it).
    if (newline - offset < 9 || buffer[offset + 8] !== 9 /* \t */) break;
    const crc = crc32(buffer.subarray(offset + 9, newline)).toString(16).padStart(8, '0');
    if (crc !== buffer.toString('latin1', offset, offset + 8)) break;
    records.push({ segment, json: buffer.toString('utf8', offset + 9, newline) });
    offset = newline + 1;
  }
  return { records, bytes: offset };
}

/** Makes a file's creation or deletion in `dir` durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
