import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { LakeError, diskFullError, isDiskFull } from '../core/index.js';
import { TEMP_FILE_PREFIX, assertValidKey } from './assert-valid-key.js';
import { checkBytes, checkLocalFile } from './check-committed-file.js';
import { damagedFileError, locationOf } from './damaged-file.js';
import { parseLakeKey } from './layout.js';
import type { ObjectStore } from './object-store.js';
import type { CommittedFile, PartitionManifest } from './partition-manifest.js';
import { throwIfAborted } from './throw-if-aborted.js';
import { openVerifiedFiles, type VerifiedFiles } from './verified-files.js';

export interface MirrorOptions {
  store: ObjectStore;
  /** Every committed manifest of the entities to mirror (cached runs they do not name are deleted). */
  manifests: readonly PartitionManifest[];
  /** Local folder holding the copies, under the same relative keys as the lake. */
  cacheDir: string;
  signal?: AbortSignal;
  /** Downloads in flight; 8 by default. */
  concurrency?: number;
  /**
   * A file (under GMP_HOME) recording which files were verified already, one per set of manifests
   * (an entity): each file is then hashed once, not on every call. Without it every file is hashed.
   */
  verifiedRecord?: string;
}

/**
 * Makes every file named by `manifests` (data and invalid files) readable from local disk, each
 * verified against its manifest's size and SHA-256, and returns lake key → absolute path. A
 * local-folder store answers with its own paths; any other store is downloaded into `cacheDir`
 * once (run folders are immutable, so a cached file is reused). A damaged lake file rejects with
 * LAKE_FILE_DAMAGED naming it; a damaged cached copy is downloaded again. A full disk rejects
 * with DISK_FULL, the cache as it was.
 */
export async function mirrorCommittedFiles(options: MirrorOptions): Promise<Map<string, string>> {
  const { store, manifests, signal } = options;
  const files = manifests.flatMap((m) => [...m.files, ...m.invalid_files]);
  const paths = new Map<string, string>();
  const limit = pLimit(options.concurrency ?? 8);
  const root = store.localPathFor === undefined ? path.resolve(options.cacheDir) : store.describe();
  const record = await openRecord(options.verifiedRecord, root);
  if (store.localPathFor !== undefined) {
    const localPath = store.localPathFor.bind(store);
    const problems = await Promise.all(
      files.map((file) =>
        limit(async () => {
          throwIfAborted(signal, `verify ${file.key}`);
          return checkLocalFile(localPath(file.key), file, record);
        }),
      ),
    );
    await record.save();
    const damaged = problems.findIndex((p) => p !== undefined);
    if (damaged >= 0) throw damagedFileError(files[damaged]!.key, localPath(files[damaged]!.key), problems[damaged]!);
    for (const file of files) paths.set(file.key, localPath(file.key));
    return paths;
  }

  const cacheDir = path.resolve(options.cacheDir);
  try {
    const local = await Promise.all(
      files.map((file) =>
        limit(async () => {
          throwIfAborted(signal, `mirror ${file.key}`);
          return mirrorFile(store, file, cacheDir, record, signal);
        }),
      ),
    );
    files.forEach((file, i) => paths.set(file.key, local[i] ?? ''));
  } finally {
    await record.save();
  }
  throwIfAborted(signal, `mirror into ${cacheDir}`);
  await removeStaleRuns(cacheDir, manifests);
  return paths;
}

async function openRecord(file: string | undefined, root: string): Promise<VerifiedFiles> {
  if (file !== undefined) return openVerifiedFiles(file, root);
  return { has: () => false, add: () => undefined, save: async () => undefined };
}

async function mirrorFile(store: ObjectStore, file: CommittedFile, cacheDir: string, record: VerifiedFiles, signal?: AbortSignal): Promise<string> {
  // Validating the key keeps a hostile manifest from writing outside the cache.
  assertValidKey(file.key);
  const target = path.join(cacheDir, ...file.key.split('/'));
  // A cached copy that is no longer intact is simply fetched again: the lake holds the truth.
  if ((await checkLocalFile(target, file, record)) === undefined) return target;

  const body = await store.get(file.key, { signal });
  const problem = checkBytes(body, file);
  if (problem !== undefined) throw damagedFileError(file.key, locationOf(store, file.key), problem);
  await writeCachedCopy(file.key, target, body);
  if (file.sha256 !== undefined) record.add(file.key, await stat(target), file.sha256);
  return target;
}

/** Writes a verified copy through a temp file and a rename, so no reader (or crash) sees half of it. */
export async function writeCachedCopy(key: string, target: string, body: Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `${TEMP_FILE_PREFIX}${randomUUID()}`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(body);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (isDiskFull(error)) throw diskFullError(error, target, { neededBytes: body.byteLength });
    throw new LakeError(`cannot cache lake file ${key} at ${target}: ${(error as Error).message}`, {
      retryable: false,
      cause: error,
      context: { lakeKey: key },
    });
  }
}

/** Deletes cached run folders of the mirrored entities that no manifest names any more. */
async function removeStaleRuns(cacheDir: string, manifests: readonly PartitionManifest[]): Promise<void> {
  const live = new Set<string>();
  const entities = new Set<string>();
  for (const manifest of manifests) {
    entities.add(`raw/${manifest.source}/${manifest.entity}`);
    for (const file of [...manifest.files, ...manifest.invalid_files]) {
      const parts = parseLakeKey(file.key);
      if (parts?.kind === 'run-file') live.add(`raw/${parts.source}/${parts.entity}/dt=${parts.dt}/run=${parts.runId}`);
    }
    // A zero-record commit names no file, but its run is still the live one.
    live.add(`raw/${manifest.source}/${manifest.entity}/dt=${manifest.dt}/run=${manifest.run_id}`);
  }
  for (const entity of entities) {
    const entityDir = path.join(cacheDir, ...entity.split('/'));
    for (const dtName of await folderNames(entityDir)) {
      if (!dtName.startsWith('dt=')) continue;
      const dtDir = path.join(entityDir, dtName);
      for (const runName of await folderNames(dtDir)) {
        if (!runName.startsWith('run=') || live.has(`${entity}/${dtName}/${runName}`)) continue;
        await rm(path.join(dtDir, runName), { recursive: true, force: true });
      }
      await rmdir(dtDir).catch(() => undefined); // only succeeds when nothing is left
    }
  }
}

async function folderNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/**
 * Downloads `file` into the mirror cache again, verified (LAKE_FILE_DAMAGED when the lake's own
 * copy is damaged), replacing a damaged cached copy; returns its path.
 */
export async function recacheFile(store: ObjectStore, file: CommittedFile, cacheDir: string, signal?: AbortSignal): Promise<string> {
  assertValidKey(file.key);
  const target = path.join(path.resolve(cacheDir), ...file.key.split('/'));
  const body = await store.get(file.key, signal ? { signal } : {});
  const problem = checkBytes(body, file);
  if (problem !== undefined) throw damagedFileError(file.key, locationOf(store, file.key), problem);
  await writeCachedCopy(file.key, target, body);
  return target;
}
