import { stat } from 'node:fs/promises';
import { bytesSha256, fileSha256 } from './file-sha256.js';
import type { CommittedFile } from './partition-manifest.js';
import type { VerifiedFiles } from './verified-files.js';

type Expected = Pick<CommittedFile, 'key' | 'bytes' | 'sha256'>;

export const CHECKSUM_MISMATCH = 'its SHA-256 is not the one its manifest records';

/**
 * Why the local file at `filePath` is not the committed `file` (missing, another size, another
 * SHA-256), or undefined when it is intact. A file whose manifest has no checksum (an older lake)
 * is checked by size only. With `record`, a file verified before with the same size and mtime is
 * not hashed again, and one verified now is added to it.
 */
export async function checkLocalFile(filePath: string, file: Expected, record?: VerifiedFiles): Promise<string | undefined> {
  const info = await stat(filePath).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined || !info.isFile()) return 'it is missing';
  if (info.size !== file.bytes) return sizeProblem(info.size, file.bytes);
  if (file.sha256 === undefined) return undefined;
  if (record?.has(file.key, info, file.sha256)) return undefined;
  if ((await fileSha256(filePath)) !== file.sha256) return CHECKSUM_MISMATCH;
  // The stat taken before hashing: a file changed while it was hashed is hashed again next time.
  record?.add(file.key, info, file.sha256);
  return undefined;
}

/** Why `bytes` are not the committed `file` (another size or SHA-256), or undefined when they are. */
export function checkBytes(bytes: Uint8Array, file: Expected): string | undefined {
  if (bytes.byteLength !== file.bytes) return sizeProblem(bytes.byteLength, file.bytes);
  if (file.sha256 !== undefined && bytesSha256(bytes) !== file.sha256) return CHECKSUM_MISMATCH;
  return undefined;
}

function sizeProblem(actual: number, expected: number): string {
  return `it has ${actual} bytes, its manifest says ${expected}`;
}
