import path from 'node:path';
import pLimit from 'p-limit';
import { LakeError } from '../core/index.js';
import { checkBytes, checkLocalFile } from './check-committed-file.js';
import { locationOf, repairCommand } from './damaged-file.js';
import { isNotFound } from './is-not-found.js';
import { entityPrefix, manifestKey, parseLakeKey } from './layout.js';
import type { ListEntry, ObjectStore } from './object-store.js';
import type { CommittedFile, PartitionManifest } from './partition-manifest.js';
import { readManifest } from './partition-reader.js';
import { throwIfAborted } from './throw-if-aborted.js';

/** One committed file (or its manifest, or a cached copy of it) checked against its manifest. */
export interface LakeFileCheck {
  /** `<source>/<entity>`: the asset that writes the partition. */
  asset: string;
  /** The partition's `dt` (a day, or an hour `YYYY-MM-DDTHH`). */
  partition: string;
  key: string;
  /** Where it was read: a local path, or the store's URL. */
  location: string;
  /** `lake`: the lake's own file; `cache`: the local mirror's copy of it; `manifest`: the partition's manifest. */
  copy: 'lake' | 'cache' | 'manifest';
  ok: boolean;
  /** Why it is damaged: missing, another size, another SHA-256, an unreadable manifest. */
  problem?: string;
  /** The command that repairs its partition. */
  repair?: string;
}

export interface VerifyLakeOptions {
  /** Only this entity (`source` and `entity` together). */
  source?: string;
  entity?: string;
  /** Only this partition: a day (for an hourly entity: every hour of it) or an hour. */
  partition?: string;
  /** The local mirror of a remote lake: cached copies found there are checked too. */
  cacheDir?: string;
  signal?: AbortSignal;
  /** Called for each check as it completes (in no particular order). */
  onCheck?: (check: LakeFileCheck) => void;
  /** Files checked at once; 4 by default. */
  concurrency?: number;
}

/**
 * Checks every file the committed manifests name (data and invalid files) against its manifest:
 * missing, another size, another SHA-256 (size only for manifests without checksums); every file
 * is read and hashed, so this costs a read of the lake. Never throws for a damaged file or
 * manifest: each is reported, sorted by key.
 */
export async function verifyLake(store: ObjectStore, options: VerifyLakeOptions = {}): Promise<LakeFileCheck[]> {
  const { signal } = options;
  const opts = signal ? { signal } : {};
  const prefix = options.source !== undefined && options.entity !== undefined ? entityPrefix(options.source, options.entity) : 'raw/';
  const listed = new Map<string, ListEntry>();
  const partitions: { source: string; entity: string; dt: string }[] = [];
  for await (const entry of store.list(prefix, opts)) {
    listed.set(entry.key, entry);
    const parts = parseLakeKey(entry.key);
    if (parts?.kind !== 'manifest' || !inPartition(parts.dt, options.partition)) continue;
    partitions.push({ source: parts.source, entity: parts.entity, dt: parts.dt });
  }
  const checks: LakeFileCheck[] = [];
  const report = (check: LakeFileCheck): void => {
    checks.push(check);
    options.onCheck?.(check);
  };
  const limit = pLimit(options.concurrency ?? 4);
  const work: Promise<void>[] = [];
  for (const { source, entity, dt } of partitions) {
    const asset = `${source}/${entity}`;
    const key = manifestKey(source, entity, dt);
    let manifest: PartitionManifest | undefined;
    try {
      manifest = await readManifest(store, source, entity, dt, opts);
    } catch (error) {
      if (!(error instanceof LakeError) || error.code !== 'LAKE_CORRUPT') throw error;
      report(damaged({ asset, partition: dt, key, location: locationOf(store, key), copy: 'manifest' }, error.message));
      continue;
    }
    // Deleted between the listing and the read: no longer committed.
    if (manifest === undefined) continue;
    for (const file of [...manifest.files, ...manifest.invalid_files]) {
      const base = { asset, partition: dt, key: file.key };
      work.push(
        limit(async () => {
          throwIfAborted(signal, `verify ${file.key}`);
          const location = locationOf(store, file.key);
          const problem = await lakeProblem(store, file, listed.get(file.key), opts);
          report(problem === undefined ? { ...base, location, copy: 'lake', ok: true } : damaged({ ...base, location, copy: 'lake' }, problem));
          if (options.cacheDir === undefined || store.localPathFor !== undefined) return;
          const cached = path.join(path.resolve(options.cacheDir), ...file.key.split('/'));
          const cacheProblem = await checkLocalFile(cached, file);
          // A copy not cached yet is downloaded (and verified) when it is first read.
          if (cacheProblem === 'it is missing') return;
          report(cacheProblem === undefined ? { ...base, location: cached, copy: 'cache', ok: true } : damaged({ ...base, location: cached, copy: 'cache' }, cacheProblem));
        }),
      );
    }
  }
  await Promise.all(work);
  const order = { manifest: 0, lake: 1, cache: 2 } as const;
  return checks.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : order[a.copy] - order[b.copy]));
}

async function lakeProblem(store: ObjectStore, file: CommittedFile, entry: ListEntry | undefined, opts: { signal?: AbortSignal }): Promise<string | undefined> {
  if (store.localPathFor !== undefined) return checkLocalFile(store.localPathFor(file.key), file);
  if (entry === undefined) return 'it is missing';
  if (entry.size !== file.bytes) return `it has ${entry.size} bytes, its manifest says ${file.bytes}`;
  const bytes = await store.get(file.key, opts).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
  return bytes === undefined ? 'it is missing' : checkBytes(bytes, file);
}

function damaged(check: Omit<LakeFileCheck, 'ok' | 'problem' | 'repair'>, problem: string): LakeFileCheck {
  const repair = repairCommand(check.key);
  return { ...check, ok: false, problem, ...(repair ? { repair } : {}) };
}

function inPartition(dt: string, partition: string | undefined): boolean {
  return partition === undefined || dt === partition || dt.startsWith(`${partition}T`);
}
