import pLimit from 'p-limit';
import { LakeError, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { entityPrefix, parseLakeKey, partitionPrefix } from './layout.js';
import type { ListEntry, ObjectStore } from './object-store.js';
import { readManifest } from './partition-reader.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface CollectGarbageOptions {
  store: ObjectStore;
  source: string;
  entity: string;
  /** One partition; every partition of the entity when omitted. */
  dt?: string;
  /**
   * Spare run folders whose newest file is younger than this: a writer may still be filling them.
   * Omitted means every run not named by a manifest is deleted (only safe when no writer runs).
   */
  olderThanMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

export interface GarbageReport {
  deletedKeys: string[];
  deletedBytes: number;
}

const DELETES_IN_FLIGHT = 16;

/** Deletes the files of run folders neither named by their partition's current manifest nor holding a file it names. */
export async function collectGarbage(options: CollectGarbageOptions): Promise<GarbageReport> {
  const { store, source, entity, dt, olderThanMs, signal, clock = systemClock } = options;
  const prefix = dt === undefined ? entityPrefix(source, entity) : partitionPrefix(source, entity, dt);
  // dt -> run id -> files
  const runs = new Map<string, Map<string, ListEntry[]>>();
  for await (const entry of store.list(prefix, { signal })) {
    const parts = parseLakeKey(entry.key);
    if (parts?.kind !== 'run-file' || parts.source !== source || parts.entity !== entity) continue;
    const byRun = runs.get(parts.dt) ?? new Map<string, ListEntry[]>();
    runs.set(parts.dt, byRun);
    byRun.set(parts.runId, [...(byRun.get(parts.runId) ?? []), entry]);
  }

  const cutoff = olderThanMs === undefined ? undefined : clock.now().getTime() - olderThanMs;
  const doomed: ListEntry[] = [];
  for (const [partition, byRun] of runs) {
    // Live runs: the manifest's own, and every run folder a file it names lives in (an appended
    // partition, such as an hour of events, keeps the files of many runs).
    const live = new Set<string>();
    try {
      const manifest = await readManifest(store, source, entity, partition, { signal });
      if (manifest !== undefined) live.add(manifest.run_id);
      for (const file of [...(manifest?.files ?? []), ...(manifest?.invalid_files ?? [])]) {
        const parts = parseLakeKey(file.key);
        if (parts?.kind === 'run-file') live.add(parts.runId);
      }
    } catch (error) {
      // Without a readable manifest nobody knows which run is live: delete nothing there.
      if (error instanceof LakeError && error.code === 'LAKE_CORRUPT') continue;
      throw error;
    }
    for (const [runId, files] of byRun) {
      if (live.has(runId)) continue;
      if (cutoff !== undefined && !files.every((f) => f.lastModified !== undefined && f.lastModified.getTime() <= cutoff)) {
        continue;
      }
      doomed.push(...files);
    }
  }

  throwIfAborted(signal, `garbage collection of ${prefix}`);
  const limit = pLimit(DELETES_IN_FLIGHT);
  await Promise.all(doomed.map((file) => limit(() => store.delete(file.key, { signal }))));
  return {
    deletedKeys: doomed.map((f) => f.key).sort(),
    deletedBytes: doomed.reduce((total, f) => total + f.size, 0),
  };
}
