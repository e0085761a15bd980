import pLimit from 'p-limit';
import { checkBytes } from './check-committed-file.js';
import { damagedFileError } from './damaged-file.js';
import { entityPrefix, parseLakeKey } from './layout.js';
import { mirrorCommittedFiles, type MirrorOptions } from './local-mirror.js';
import type { ListEntry, ObjectStore } from './object-store.js';
import type { CommittedFile } from './partition-manifest.js';
import { throwIfAborted } from './throw-if-aborted.js';
import { openVerifiedFiles } from './verified-files.js';

export interface CommittedFileLocationOptions extends MirrorOptions {
  /** The reader can open the store's own URLs (DuckDB with httpfs over S3): nothing is downloaded. */
  direct: boolean;
}

/**
 * Where a reader finds the data files the manifests name, in manifest order, each verified
 * against its manifest first (LAKE_FILE_DAMAGED names a damaged one): the store's URLs
 * (`s3://bucket/prefix/key`) when `direct` and the store has them, otherwise local paths (the
 * store's own folder, or copies in the mirror cache). See `mirrorCommittedFiles`.
 */
export async function committedFileLocations(options: CommittedFileLocationOptions): Promise<string[]> {
  const { store, manifests } = options;
  const keys = manifests.flatMap((m) => m.files.map((f) => f.key));
  if (options.direct && store.objectUrl !== undefined) {
    await verifyRemoteFiles(options, manifests.flatMap((m) => m.files));
    return keys.map((key) => store.objectUrl!(key));
  }
  const local = await mirrorCommittedFiles(options);
  return keys.map((key) => local.get(key)!);
}

/**
 * A direct reader downloads nothing through gmp, so each file with a checksum is downloaded and
 * hashed once; later calls trust an object whose listed size, etag and last-modified time are the
 * ones recorded (an overwritten object changes its etag). One listing per entity, no per-file call.
 */
async function verifyRemoteFiles(options: CommittedFileLocationOptions, files: readonly CommittedFile[]): Promise<void> {
  const { store, signal } = options;
  const checked = files.filter((f) => f.sha256 !== undefined);
  if (checked.length === 0) return;
  const record = options.verifiedRecord === undefined ? undefined : await openVerifiedFiles(options.verifiedRecord, store.describe());
  const listed = await listEntities(store, checked, signal);
  const limit = pLimit(options.concurrency ?? 8);
  try {
    await Promise.all(
      checked.map((file) =>
        limit(async () => {
          throwIfAborted(signal, `verify ${file.key}`);
          const entry = listed.get(file.key);
          const url = store.objectUrl!(file.key);
          if (entry === undefined) throw damagedFileError(file.key, url, 'it is missing');
          if (entry.size !== file.bytes) throw damagedFileError(file.key, url, `it has ${entry.size} bytes, its manifest says ${file.bytes}`);
          // Without an etag or a time, nothing tells a rewritten object apart: it is read every time.
          const state = entry.lastModified === undefined && entry.etag === undefined ? undefined : { size: entry.size, mtimeMs: entry.lastModified?.getTime() ?? 0, etag: entry.etag };
          if (state !== undefined && record?.has(file.key, state, file.sha256!)) return;
          const problem = checkBytes(await store.get(file.key, { signal }), file);
          if (problem !== undefined) throw damagedFileError(file.key, url, problem);
          if (state !== undefined) record?.add(file.key, state, file.sha256!);
        }),
      ),
    );
  } finally {
    await record?.save();
  }
}

async function listEntities(store: ObjectStore, files: readonly CommittedFile[], signal: AbortSignal | undefined): Promise<Map<string, ListEntry>> {
  const prefixes = new Set<string>();
  for (const file of files) {
    const parts = parseLakeKey(file.key);
    if (parts !== undefined) prefixes.add(entityPrefix(parts.source, parts.entity));
  }
  const listed = new Map<string, ListEntry>();
  for (const prefix of prefixes) for await (const entry of store.list(prefix, signal ? { signal } : {})) listed.set(entry.key, entry);
  return listed;
}
