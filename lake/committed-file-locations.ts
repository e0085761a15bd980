import { mirrorCommittedFiles, type MirrorOptions } from './local-mirror.js';

export interface CommittedFileLocationOptions extends MirrorOptions {
  /** The reader can open the store's own URLs (DuckDB with httpfs over S3): nothing is downloaded. */
  direct: boolean;
}

/**
 * Where a reader finds the data files the manifests name, in manifest order: the store's URLs
 * (`s3://bucket/prefix/key`) when `direct` and the store has them, otherwise local paths (the
 * store's own folder, or copies in the mirror cache).
 */
export async function committedFileLocations(options: CommittedFileLocationOptions): Promise<string[]> {
  const { store, manifests } = options;
  const keys = manifests.flatMap((m) => m.files.map((f) => f.key));
  if (options.direct && store.objectUrl !== undefined) return keys.map((key) => store.objectUrl!(key));
  const local = await mirrorCommittedFiles(options);
  return keys.map((key) => local.get(key)!);
}
