import { hash32 } from '../prng.js';

const hex = (n: number, width = 8): string => (n >>> 0).toString(16).padStart(width, '0');

/**
 * A version-4-shaped UUID named by integers (seed, player, counter): four independent 32-bit
 * hashes, so ids do not collide the way draws of one 32-bit PRNG state would.
 */
export function uuidOf(...parts: number[]): string {
  // The salt goes first: with it last, two inputs that collide inside the hash would collide in all four.
  const s = hex(hash32(101, ...parts)) + hex(hash32(102, ...parts)) + hex(hash32(103, ...parts)) + hex(hash32(104, ...parts));
  const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** A short stable id with a prefix (`u_…`, `anon_…`) from two hashes. */
export function stableId(prefix: string, high: number, low: number): string {
  return `${prefix}_${hex(high)}${hex(low)}`;
}
