import { createHash } from 'node:crypto';

// A fixed namespace for gmp run ids (any constant UUID would do; this one is random).
const NAMESPACE = Buffer.from('6f1d2c4e9b7a4d3f8e5c1a2b3c4d5e6f', 'hex');

/** A UUIDv5 (SHA-1, RFC 9562) of `parts` joined: the same gmp run (and step) always maps to the same UUID. */
export function lineageUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\0')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
