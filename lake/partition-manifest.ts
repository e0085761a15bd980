import { z } from 'zod';

const committedFile = z.object({
  key: z.string().min(1),
  records: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /**
   * Hex SHA-256 of the file's bytes, as the writer streamed them. Readers check it before they trust
   * the file. Absent from manifests written before every file carried one: those files are checked
   * by size only.
   */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** `_manifest.json`: the commit record of one partition, written after every file it names. */
export const PARTITION_MANIFEST_SCHEMA = z.object({
  format: z.literal(1),
  source: z.string().min(1),
  entity: z.string().min(1),
  dt: z.string().min(1),
  run_id: z.string().min(1),
  /**
   * The commit's place in the partition's history: the replaced manifest's generation + 1 (1 for a
   * first commit). The lake serializes commits (each manifest put is conditional on the one it
   * replaces), so readers order commits by this, never by the writers' clocks. Absent from
   * manifests written before it existed: read it as 0.
   */
  generation: z.number().int().nonnegative().optional(),
  committed_at: z.iso.datetime({ offset: true }),
  records: z.number().int().nonnegative(),
  invalid_records: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  files: z.array(committedFile),
  invalid_files: z.array(committedFile),
  metadata: z.record(z.string(), z.unknown()),
});

export type PartitionManifest = z.infer<typeof PARTITION_MANIFEST_SCHEMA>;
export type CommittedFile = z.infer<typeof committedFile>;
