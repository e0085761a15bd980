import pLimit from 'p-limit';
import type { Clock } from '../../core/index.js';
import { collectGarbage, parseLakeKey, readManifest, type ObjectStore } from '../../lake/index.js';
import { EVENTS_SOURCE } from './commit-events.js';
import type { EventCompaction } from './compact-events.js';

const DELETES_IN_FLIGHT = 16;
/** Run folders of a daily partition younger than this may belong to a compaction still writing. */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Deletes what a compaction made obsolete, once no reader names it: each key only if its
 * partition's current manifest still does not name it, then the files of interrupted runs in the
 * daily partitions written (an hour old at least). Hourly partitions are never garbage-collected
 * by run (their appended commits keep files of many runs). Returns the keys deleted.
 */
export async function removeCompactedFiles(store: ObjectStore, compaction: Pick<EventCompaction, 'obsoleteKeys' | 'dailyPartitions'>, options: { signal?: AbortSignal; clock?: Clock } = {}): Promise<string[]> {
  const opts = options.signal ? { signal: options.signal } : {};
  const named = new Map<string, Set<string>>();
  const doomed: string[] = [];
  for (const key of compaction.obsoleteKeys) {
    const parts = parseLakeKey(key);
    if (parts?.kind !== 'run-file') continue;
    const partition = `${parts.source}/${parts.entity}/${parts.dt}`;
    if (!named.has(partition)) {
      const manifest = await readManifest(store, parts.source, parts.entity, parts.dt, opts);
      named.set(partition, new Set([...(manifest?.files ?? []), ...(manifest?.invalid_files ?? [])].map((f) => f.key)));
    }
    if (!named.get(partition)!.has(key)) doomed.push(key);
  }
  const limit = pLimit(DELETES_IN_FLIGHT);
  await Promise.all(doomed.map((key) => limit(() => store.delete(key, opts))));
  // A daily partition is replaced whole by each compaction, so only its manifest's run is live.
  for (const { entity, day } of compaction.dailyPartitions) {
    const report = await collectGarbage({ store, source: EVENTS_SOURCE, entity, dt: day, olderThanMs: ORPHAN_GRACE_MS, ...opts, ...(options.clock ? { clock: options.clock } : {}) });
    doomed.push(...report.deletedKeys);
  }
  return doomed.sort();
}
