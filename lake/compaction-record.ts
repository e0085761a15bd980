import { z } from 'zod';
import type { PartitionManifest } from './partition-manifest.js';

/**
 * What a daily manifest of compacted hourly partitions records in `metadata.compaction`: per hour,
 * the keys of the hourly data files its Parquet holds ("absorbed"). Readers skip exactly those
 * files of the hourly partitions, so a day reads the same (every event once) before, during and
 * after the hourly partitions are emptied, and an event committed into an hour after compaction
 * (a late one) is read from its hour until the next compaction merges it.
 */
export const COMPACTION_RECORD_SCHEMA = z.object({
  format: z.literal(1),
  absorbed: z.record(z.string(), z.array(z.string().min(1))),
});

export type CompactionRecord = z.infer<typeof COMPACTION_RECORD_SCHEMA>;

/** The compaction record of a daily manifest, or undefined when the manifest is not a compacted day. */
export function compactionOf(manifest: PartitionManifest): CompactionRecord | undefined {
  const parsed = COMPACTION_RECORD_SCHEMA.safeParse(manifest.metadata.compaction);
  return parsed.success ? parsed.data : undefined;
}

/** Every hourly data file key a compacted day's Parquet holds (empty for any other manifest). */
export function absorbedKeys(manifest: PartitionManifest | undefined): Set<string> {
  const record = manifest === undefined ? undefined : compactionOf(manifest);
  return new Set(record === undefined ? [] : Object.values(record.absorbed).flat());
}
