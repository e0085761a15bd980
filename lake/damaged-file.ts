import { LakeError } from '../core/index.js';
import { parseLakeKey } from './layout.js';
import type { ObjectStore } from './object-store.js';

/** `gmp lake repair <source>/<entity> --partition <dt>` for a key of the layout, else undefined. */
export function repairCommand(key: string): string | undefined {
  const parts = parseLakeKey(key);
  return parts === undefined ? undefined : `gmp lake repair ${parts.source}/${parts.entity} --partition ${parts.dt}`;
}

/** Where a lake key is read from: its local path, else the store's URL for it. */
export function locationOf(store: ObjectStore, key: string): string {
  return store.localPathFor?.(key) ?? store.objectUrl?.(key) ?? `${store.describe()}/${key}`;
}

/**
 * The error a reader throws instead of trusting a committed file that is not what its manifest
 * says: LAKE_FILE_DAMAGED, naming the lake key and where it was read (a local path or URL), its
 * hint the command that repairs its partition.
 */
export function damagedFileError(key: string, location: string, problem: string, cause?: unknown): LakeError {
  const repair = repairCommand(key);
  return new LakeError(`damaged lake file ${key} (${location}): ${problem}`, {
    code: 'LAKE_FILE_DAMAGED',
    retryable: false,
    ...(cause !== undefined ? { cause } : {}),
    context: { lakeKey: key, location, ...(repair ? { repair } : {}) },
    hint: repair
      ? `repair its partition with \`${repair}\`; \`gmp lake verify\` lists every damaged file`
      : 'restore the file from a backup; `gmp lake verify` lists every damaged file',
  });
}
