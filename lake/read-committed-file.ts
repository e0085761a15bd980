import { checkBytes, checkLocalFile } from './check-committed-file.js';
import { damagedFileError, locationOf } from './damaged-file.js';
import type { ObjectStore, SignalOptions } from './object-store.js';
import type { CommittedFile } from './partition-manifest.js';

type Expected = Pick<CommittedFile, 'key' | 'bytes' | 'sha256'>;

/** The bytes of a committed file, checked against its manifest entry; LAKE_FILE_DAMAGED names a damaged one. */
export async function readCommittedFile(store: ObjectStore, file: Expected, options: SignalOptions = {}): Promise<Uint8Array> {
  const bytes = await store.get(file.key, options);
  const problem = checkBytes(bytes, file);
  if (problem !== undefined) throw damagedFileError(file.key, locationOf(store, file.key), problem);
  return bytes;
}

/**
 * Checks a committed file against its manifest entry without keeping it (a local store's file is
 * hashed as a stream); rejects with LAKE_FILE_DAMAGED naming a damaged one.
 */
export async function assertCommittedFileIntact(store: ObjectStore, file: Expected, options: SignalOptions = {}): Promise<void> {
  if (store.localPathFor === undefined) {
    await readCommittedFile(store, file, options);
    return;
  }
  const local = store.localPathFor(file.key);
  const problem = await checkLocalFile(local, file);
  if (problem !== undefined) throw damagedFileError(file.key, local, problem);
}
