import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

// Files up to this size are read whole and hashed by WebCrypto on libuv's thread pool, a few at a
// time: checking a lake's files then uses every core instead of the event loop's one (the first
// read of a 1.6 GB lake hashed at ~1 GB/s on one core). Larger files stream (flat memory).
const IN_MEMORY_BYTES = 16 * 1024 * 1024;
const inMemory = pLimit(Math.max(1, availableParallelism()));

/** Hex SHA-256 of a local file. */
export async function fileSha256(filePath: string): Promise<string> {
  const { size } = await stat(filePath);
  if (size <= IN_MEMORY_BYTES) {
    return inMemory(async () => Buffer.from(await webcrypto.subtle.digest('SHA-256', await readFile(filePath))).toString('hex'));
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hex SHA-256 of bytes in memory. */
export function bytesSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
