import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** What a file looked like when its SHA-256 was found to be the committed one. */
export interface FileState {
  size: number;
  /** Compared to the millisecond, rounded as Node rounds `stat().mtime` (S3 listings have whole seconds). */
  mtimeMs: number;
  /** An S3 object's etag (its last-modified time has one-second precision). */
  etag?: string | undefined;
}

/**
 * A record of the local files already verified against their manifest's checksum, so a reader
 * hashes each file once instead of the whole lake every run: a file whose size and mtime are the
 * ones recorded is trusted, any other is hashed again (an edited or rewritten file changes its
 * mtime; silent bit rot that keeps it is found by `gmp lake verify`, which hashes everything).
 */
export interface VerifiedFiles {
  has(key: string, state: FileState, sha256: string): boolean;
  add(key: string, state: FileState, sha256: string): void;
  /**
   * Writes the record if it changed, keeping only the keys asked about since it was opened (the
   * caller asks about every file it still reads). Best effort: a record that cannot be written
   * only costs hashing again next time.
   */
  save(): Promise<void>;
}

const RECORD = z.object({ format: z.literal(1), root: z.string(), files: z.record(z.string(), z.string()) });

/**
 * Opens the record stored in `file` for files under `root` (a lake folder or a mirror cache). A
 * missing or unreadable record, or one of another root, starts empty.
 */
export async function openVerifiedFiles(file: string, root: string): Promise<VerifiedFiles> {
  const loaded = await readFile(file, 'utf8').then(
    (text) => RECORD.safeParse(JSON.parse(text)),
    () => undefined,
  ).catch(() => undefined);
  const before = loaded?.success && loaded.data.root === root ? new Map(Object.entries(loaded.data.files)) : new Map<string, string>();
  const after = new Map<string, string>();
  let added = false;
  const entry = (state: FileState, sha256: string): string => `${state.size}:${Math.round(state.mtimeMs)}:${state.etag ?? ''}:${sha256}`;
  return {
    has(key, state, sha256) {
      const value = entry(state, sha256);
      if (before.get(key) !== value) return false;
      after.set(key, value);
      return true;
    },
    add(key, state, sha256) {
      after.set(key, entry(state, sha256));
      added = true;
    },
    async save() {
      if (!added && after.size === before.size) return;
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(temp, JSON.stringify({ format: 1, root, files: Object.fromEntries([...after].sort(([a], [b]) => (a < b ? -1 : 1))) }));
        await rename(temp, file);
      } catch {
        await unlink(temp).catch(() => undefined);
      }
    },
  };
}
