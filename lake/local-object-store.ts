import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LakeError, diskFullError, isDiskFull } from '../core/index.js';
import { abortableChunks } from './abortable-chunks.js';
import { TEMP_FILE_PREFIX, assertValidKey, assertValidPrefix } from './assert-valid-key.js';
import type { ListEntry, ObjectBody, ObjectInfo, ObjectStore, PutOptions, SignalOptions } from './object-store.js';
import { canceled, throwIfAborted } from './throw-if-aborted.js';

const TRANSIENT_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ETIMEDOUT', 'EINTR']);
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
/**
 * Streamed bodies are written here (under the root, so the final rename stays on one file system),
 * not beside their key: a process killed mid-stream leaves its partial file in this one folder,
 * which the store sweeps, instead of in a run folder that garbage collection could never empty.
 */
const STAGING_DIR = `${TEMP_FILE_PREFIX}staging`;
/** Staged files untouched this long belong to a dead writer (no live run idles for a day). */
const STAGED_ORPHAN_MS = 24 * 60 * 60 * 1000;

/** An ObjectStore over a local folder; a missing root is an empty store until the first put. */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  private swept = false;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Absolute path of `key` under the root (the key is validated, so it cannot escape the root). */
  localPathFor(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  describe(): string {
    return pathToFileURL(this.root).href;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const { signal } = options;
    const target = this.localPathFor(key);
    throwIfAborted(signal, `put ${key}`);
    if (options.ifMatch !== undefined) {
      // A compare-and-rename is not atomic on a file system; head() reports no etag to match.
      throw new LakeError(`put ${key} in ${this.describe()}: a local folder store does not support ifMatch`, {
        retryable: false,
        context: { lakeKey: key },
      });
    }
    const dir = path.dirname(target);
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const streamed = !(data instanceof Uint8Array);
    if (streamed) await this.sweepStaging();
    const temp = path.join(streamed ? path.join(this.root, STAGING_DIR) : dir, `${TEMP_FILE_PREFIX}${randomUUID()}`);
    const written = { bytes: 0, failedChunk: 0 };
    try {
      await writeTempFile(path.dirname(temp), temp, data, signal, written);
      throwIfAborted(signal, `put ${key}`);
      await publish(temp, target, options.ifNoneMatch === true);
    } catch (error) {
      if (isDiskFull(error) && !signal?.aborted) {
        // Free space is measured once the partial file is gone: what the file system really has.
        await unlink(temp).catch(() => undefined);
        const needed = streamed ? written.bytes + written.failedChunk : (data as Uint8Array).byteLength;
        throw diskFullError(error, target, { neededBytes: needed, atLeast: streamed });
      }
      if (options.ifNoneMatch && errnoCode(error) === 'EEXIST') {
        throw new LakeError(`put ${key} in ${this.describe()} refused: the key already exists`, {
          retryable: false,
          cause: error,
          context: { lakeKey: key, exists: true, preconditionFailed: true },
        });
      }
      throw this.wrap('put', key, error, signal);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string, options: SignalOptions = {}): Promise<Uint8Array> {
    const file = this.localPathFor(key);
    throwIfAborted(options.signal, `get ${key}`);
    try {
      const buffer = await readFile(file, options.signal === undefined ? {} : { signal: options.signal });
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw this.wrap('get', key, error, options.signal);
    }
  }

  async head(key: string, options: SignalOptions = {}): Promise<ObjectInfo | undefined> {
    const file = this.localPathFor(key);
    throwIfAborted(options.signal, `head ${key}`);
    try {
      const info = await stat(file);
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (MISSING_CODES.has(errnoCode(error) ?? '')) return undefined;
      throw this.wrap('head', key, error, options.signal);
    }
  }

  async *list(prefix: string, options: SignalOptions = {}): AsyncIterable<ListEntry> {
    assertValidPrefix(prefix);
    const { signal } = options;
    throwIfAborted(signal, `list ${prefix}`);
    // Start at the deepest folder the prefix names in full; the rest is a string filter.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const start = path.join(this.root, ...folder.split('/').filter((s) => s !== ''));
    for await (const entry of this.walk(start, folder, prefix, signal)) {
      throwIfAborted(signal, `list ${prefix}`);
      yield entry;
    }
  }

  async delete(key: string, options: SignalOptions = {}): Promise<void> {
    const file = this.localPathFor(key);
    throwIfAborted(options.signal, `delete ${key}`);
    try {
      await unlink(file);
    } catch (error) {
      const code = errnoCode(error) ?? '';
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      // A key that names a folder is no object (unlink says EISDIR on Linux, EPERM on macOS).
      if ((code === 'EISDIR' || code === 'EPERM') && (await stat(file).catch(() => undefined))?.isDirectory()) return;
      throw this.wrap('delete', key, error, options.signal);
    }
    await this.pruneEmptyFolders(path.dirname(file));
  }

  /** Depth-first walk that yields keys in byte order: a folder sorts as its name plus '/'. */
  private async *walk(dir: string, keyPrefix: string, filter: string, signal?: AbortSignal): AsyncGenerator<ListEntry> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (MISSING_CODES.has(errnoCode(error) ?? '')) return;
      throw this.wrap('list', filter, error, signal);
    }
    const items: { name: string; sortKey: Buffer; isDir: boolean }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_FILE_PREFIX)) continue;
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = await stat(path.join(dir, entry.name)).catch(() => undefined);
        if (target === undefined) continue;
        isDir = target.isDirectory();
      } else if (!isDir && !entry.isFile()) {
        continue;
      }
      items.push({ name: entry.name, isDir, sortKey: Buffer.from(isDir ? `${entry.name}/` : entry.name, 'utf8') });
    }
    items.sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const item of items) {
      throwIfAborted(signal, `list ${filter}`);
      const key = `${keyPrefix}${item.name}`;
      const full = path.join(dir, item.name);
      if (item.isDir) {
        const folderKey = `${key}/`;
        if (folderKey.startsWith(filter) || filter.startsWith(folderKey)) {
          yield* this.walk(full, folderKey, filter, signal);
        }
      } else if (key.startsWith(filter)) {
        const info = await stat(full).catch((error: unknown) => {
          // Deleted between readdir and stat: it simply is no longer listed.
          if (MISSING_CODES.has(errnoCode(error) ?? '')) return undefined;
          throw this.wrap('list', filter, error, signal);
        });
        if (info?.isFile()) yield { key, size: info.size, lastModified: info.mtime };
      }
    }
  }

  /** Once per store: removes staged files of streamed puts whose writer died long ago. */
  private async sweepStaging(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    const staging = path.join(this.root, STAGING_DIR);
    const cutoff = Date.now() - STAGED_ORPHAN_MS;
    for (const name of await readdir(staging).catch(() => [] as string[])) {
      const file = path.join(staging, name);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && info.mtimeMs < cutoff) await unlink(file).catch(() => undefined);
    }
  }

  /** Removes folders emptied by a delete, up to (not including) the root, so GC leaves no husks. */
  private async pruneEmptyFolders(dir: string): Promise<void> {
    let current = dir;
    while (current !== this.root && current.startsWith(this.root + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty, already gone or busy: stop quietly
      }
      current = path.dirname(current);
    }
  }

  private wrap(operation: string, key: string, error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
      return canceled(signal, `${operation} ${key}`);
    }
    if (error instanceof LakeError) return error;
    const code = errnoCode(error);
    const notFound = operation === 'get' && MISSING_CODES.has(code ?? '');
    const reason = notFound ? 'no such key' : error instanceof Error ? error.message : String(error);
    return new LakeError(`${operation} ${key} in ${this.describe()} failed: ${reason}`, {
      retryable: TRANSIENT_CODES.has(code ?? ''),
      cause: error,
      context: notFound ? { lakeKey: key, notFound: true } : { lakeKey: key, errno: code },
    });
  }
}

/**
 * Writes and fsyncs a new temp file (a streamed body chunk by chunk, as it is produced, counting
 * the bytes written into `written`); retries mkdir when a concurrent delete pruned the folder.
 */
async function writeTempFile(
  dir: string,
  temp: string,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
  written: { bytes: number; failedChunk: number },
): Promise<void> {
  let handle;
  for (let attempt = 0; ; attempt++) {
    await mkdir(dir, { recursive: true });
    try {
      handle = await open(temp, 'wx');
      break;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' || attempt >= 2) {
        if (!(data instanceof Uint8Array)) await data[Symbol.asyncIterator]().return?.();
        throw error;
      }
    }
  }
  try {
    if (data instanceof Uint8Array) {
      await handle.writeFile(data, signal === undefined ? {} : { signal });
    } else {
      // The producer is closed (return()) when a write fails or the signal aborts.
      for await (const chunk of abortableChunks(data, signal, `put ${path.basename(temp)}`)) {
        // Counted for a full disk's report: the file had reached this much when it failed.
        written.failedChunk = chunk.byteLength;
        await handle.write(chunk);
        written.bytes += chunk.byteLength;
        written.failedChunk = 0;
      }
    }
    // The rename publishes the file; fsync first so a crash cannot publish an empty one.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves a finished temp file to its key: link() when the key must be new (it fails atomically with
 * EEXIST, which rename() would silently overwrite), rename() otherwise. Recreates the folder when a
 * concurrent delete pruned it in between.
 */
async function publish(temp: string, target: string, exclusive: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (exclusive) await link(temp, target);
      else await rename(temp, target);
      return;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' || attempt >= 2) throw error;
      await mkdir(path.dirname(target), { recursive: true });
    }
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
