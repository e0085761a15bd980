import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

// Read in 1 MiB chunks: with SHA-NI the hash runs at ~1.8 GB/s, and the default 64 KiB chunks
// cost a third more than the hashing itself (827 MB of lake: 0.48 s against 0.67 s). Reading whole
// files and hashing them on the thread pool (WebCrypto) was no faster.
const CHUNK_BYTES = 1024 * 1024;

/** Hex SHA-256 of a local file, read as a stream (memory stays flat whatever its size). */
export async function fileSha256(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: CHUNK_BYTES })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hex SHA-256 of bytes in memory. */
export function bytesSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
