import type { Prng } from '../prng.js';

const hex = (n: number, width = 8): string => (n >>> 0).toString(16).padStart(width, '0');
const word = (rng: Prng): number => Math.floor(rng() * 4294967296);

/** A version-4-shaped UUID drawn from `rng`: random-looking, and the same for the same stream. */
export function uuidFrom(rng: Prng): string {
  const a = word(rng);
  const b = word(rng);
  const c = word(rng);
  const d = word(rng);
  const s = hex(a) + hex(b) + hex(c) + hex(d);
  const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** A short stable id with a prefix (`u_…`, `anon_…`) from two hashes. */
export function stableId(prefix: string, high: number, low: number): string {
  return `${prefix}_${hex(high)}${hex(low)}`;
}
