import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { LakeError } from '../core/index.js';
import { TEMP_FILE_PREFIX, assertValidKey } from './assert-valid-key.js';
import { bytesSha256 } from './file-sha256.js';
import { parseLakeKey } from './layout.js';
import type { ObjectStore } from './object-store.js';
import type { CommittedFile, PartitionManifest } from './partition-manifest.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface MirrorOptions {
  store: ObjectStore;
  /** Every committed manifest of the entities to mirror (cached runs they do not name are deleted). */
  manifests: readonly PartitionManifest[];
  /** Local folder holding the copies, under the same relative keys as the lake. */
  cacheDir: string;
  signal?: AbortSignal;
  /** Downloads in flight; 8 by default. */
  concurrency?: number;
}

/**
 * Makes every file named by `manifests` (data and invalid files) readable from local disk and
 * returns lake key → absolute path. A local-folder store answers with its own paths; any other
 * store is downloaded into `cacheDir` once (run folders are immutable, so a cached file is reused).
 */
export async function mirrorCommittedFiles(options: MirrorOptions): Promise<Map<string, string>> {
  const { store, manifests, signal } = options;
  const files = manifests.flatMap((m) => [...m.files, ...m.invalid_files]);
  const paths = new Map<string, string>();
  if (store.localPathFor !== undefined) {
    for (const file of files) paths.set(file.key, store.localPathFor(file.key));
    return paths;
  }

  const cacheDir = path.resolve(options.cacheDir);
  const limit = pLimit(options.concurrency ?? 8);
  const local = await Promise.all(
    files.map((file) =>
      limit(async () => {
        throwIfAborted(signal, `mirror ${file.key}`);
        return mirrorFile(store, file, cacheDir, signal);
      }),
    ),
  );
  files.forEach((file, i) => paths.set(file.key, local[i] ?? ''));
  throwIfAborted(signal, `mirror into ${cacheDir}`);
  await removeStaleRuns(cacheDir, manifests);
  return paths;
}

async function mirrorFile(store: ObjectStore, file: CommittedFile, cacheDir: string, signal?: AbortSignal): Promise<string> {
  // Validating the key keeps a hostile manifest from writing outside the cache.
  assertValidKey(file.key);
  const target = path.join(cacheDir, ...file.key.split('/'));
  const cached = await stat(target).catch(() => undefined);
  if (cached?.isFile() && cached.size === file.bytes) return target;

  const body = await store.get(file.key, { signal });
  if (body.byteLength !== file.bytes) {
    throw new LakeError(
      `corrupt lake file ${file.key} in ${store.describe()}: ${body.byteLength} bytes, the manifest says ${file.bytes}`,
      { code: 'LAKE_CORRUPT', retryable: false, context: { lakeKey: file.key }, hint: 're-run the partition to rewrite it' },
    );
  }
  // Files put whole (compacted days) carry a checksum: a damaged one is named, never read.
  if (file.sha256 !== undefined && bytesSha256(body) !== file.sha256) {
    throw new LakeError(`corrupt lake file ${file.key} in ${store.describe()}: its SHA-256 is not the one its manifest records`, {
      code: 'LAKE_CORRUPT',
      retryable: false,
      context: { lakeKey: file.key },
      hint: 'restore the file from a backup or an earlier version of the object (its hourly sources are removed once a day is compacted); `gmp events compact --verify` checks every compacted day',
    });
  }
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
    // Rename, so a concurrent reader (or a crash) never leaves a half-written cached file.
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new LakeError(`cannot cache lake file ${file.key} at ${target}: ${(error as Error).message}`, {
      retryable: false,
      cause: error,
      context: { lakeKey: file.key },
    });
  }
  return target;
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
