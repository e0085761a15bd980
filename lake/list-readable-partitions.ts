import pLimit from 'p-limit';
import { isHourKey } from '../core/index.js';
import { absorbedKeys } from './compaction-record.js';
import { entityPrefix, parseLakeKey } from './layout.js';
import type { ObjectStore, SignalOptions } from './object-store.js';
import type { PartitionManifest } from './partition-manifest.js';
import { readManifest } from './partition-reader.js';

const MANIFEST_READS_IN_FLIGHT = 8;

/**
 * What a reader of an hourly entity whose old days are compacted must read, as manifests: every
 * compacted day (its Parquet), and every hourly partition with the files its day's Parquet
 * already holds left out. Each committed event is named exactly once, whatever a compaction
 * running meanwhile does.
 *
 * Why the order matters: compaction commits the daily manifest first, then empties the hourly
 * manifests, then deletes their files. The hourly manifests are read first and the daily ones
 * after (each day is read even when the listing missed it): a reader that found an hour already
 * emptied is bound to find the daily manifest that absorbed it; one that found the hour whole
 * skips exactly the files the daily manifest it then reads absorbed (none, when it is older).
 */
export async function listReadablePartitions(store: ObjectStore, source: string, entity: string, options: SignalOptions = {}): Promise<PartitionManifest[]> {
  const hours = new Set<string>();
  const days = new Set<string>();
  for await (const { key } of store.list(entityPrefix(source, entity), options)) {
    const parts = parseLakeKey(key);
    if (parts?.kind !== 'manifest') continue;
    if (isHourKey(parts.dt)) {
      hours.add(parts.dt);
      days.add(parts.dt.slice(0, 10));
    } else {
      days.add(parts.dt);
    }
  }
  const limit = pLimit(MANIFEST_READS_IN_FLIGHT);
  const read = (dt: string) => limit(() => readManifest(store, source, entity, dt, options));
  const hourly = await Promise.all([...hours].map(read));
  const daily = new Map<string, PartitionManifest | undefined>();
  await Promise.all([...days].map(async (day) => daily.set(day, await read(day))));

  const out: PartitionManifest[] = [];
  for (const manifest of daily.values()) if (manifest !== undefined) out.push(manifest);
  for (const manifest of hourly) {
    // A manifest deleted between list and read is simply no longer committed.
    if (manifest === undefined) continue;
    const absorbed = absorbedKeys(daily.get(manifest.dt.slice(0, 10)));
    if (absorbed.size === 0) {
      out.push(manifest);
      continue;
    }
    const files = manifest.files.filter((f) => !absorbed.has(f.key));
    out.push({ ...manifest, files, records: files.reduce((n, f) => n + f.records, 0) });
  }
  return out.sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
}
