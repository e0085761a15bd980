import { hash32 } from './prng.js';

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const hex8 = (n: number): string => HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/** A RAWG-looking media URL (`/media/<kind>/abc/abc….jpg`), a pure function of (a, b, c). */
export function mediaUrl(kind: 'games' | 'screenshots', a: number, b: number, c: number): string {
  // One full hash, then cheap finalisers for the other 96 bits: this runs ~8 times per list item.
  const h = hash32(a, b, c);
  const hex = hex8(h) + hex8(fmix(h ^ 0x9e3779b9)) + hex8(fmix(h ^ 0x3c6ef372)) + hex8(fmix(h ^ 0xdaa66d2b));
  return `https://media.rawg.io/media/${kind}/${hex.slice(0, 3)}/${hex}.jpg`;
}
