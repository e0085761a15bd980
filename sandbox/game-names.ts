import { modInverse } from './mod-inverse.js';
import { NAME_WORDS } from './name-words.js';
import { hash32 } from './prng.js';
import { slugify } from './slugify.js';

const words = (text: string): string[] => text.trim().split(/\s+/).sort();
const ADJECTIVES = words(NAME_WORDS.adjectives);
const NOUNS = words(NAME_WORDS.nouns);
// Sorted by code unit, so the combination index orders names exactly like a string sort
// (each list's words are single capitalised tokens, and ' ' / ':' sort before any letter).
const SUFFIXES = [...NAME_WORDS.suffixes].sort();
const A = ADJECTIVES.length;
const B = NOUNS.length;
const C = SUFFIXES.length;
/** Distinct base names; games beyond this get a " #2", " #3"… overflow marker. */
const COMBINATIONS = A * B * C;
// A prime that does not divide COMBINATIONS scatters consecutive games over the name space.
const STRIDE = 1_000_003;
const STRIDE_INVERSE = modInverse(STRIDE, COMBINATIONS);

const ADJ_SLUGS = ADJECTIVES.map(slugify);
const NOUN_SLUGS = NOUNS.map(slugify);
const SUFFIX_SLUGS = SUFFIXES.map(slugify);
const ADJ_INDEX = new Map(ADJ_SLUGS.map((s, k) => [s, k]));
const NOUN_INDEX = new Map(NOUN_SLUGS.map((s, k) => [s, k]));
const SUFFIX_INDEX = new Map(SUFFIX_SLUGS.map((s, k) => [s, k]));
const ADJ_LOWER = ADJECTIVES.map((w) => w.toLowerCase());
const NOUN_LOWER = NOUNS.map((w) => w.toLowerCase());
const SUFFIX_LOWER = SUFFIXES.map((w) => w.toLowerCase());

/**
 * Unique game names as a bijection of the game index: no name table is kept, a slug maps back to
 * its index arithmetically, and `sortKey` orders games by name without building strings.
 */
export class GameNames {
  private readonly offset: number;
  private readonly wraps: number;

  constructor(seed: number, total: number) {
    this.offset = hash32(seed, 0x4e414d45) % COMBINATIONS;
    this.wraps = Math.max(1, Math.ceil(total / COMBINATIONS));
  }

  /** The display name of game `index`. */
  name(index: number): string {
    const [a, b, c, w] = this.parts(index);
    return `${ADJECTIVES[a]} ${NOUNS[b]}${SUFFIXES[c]}${w > 0 ? ` #${w + 1}` : ''}`;
  }

  /** The lower-cased name (for case-insensitive search without a toLowerCase per game). */
  lowerName(index: number): string {
    const [a, b, c, w] = this.parts(index);
    return `${ADJ_LOWER[a]} ${NOUN_LOWER[b]}${SUFFIX_LOWER[c]}${w > 0 ? ` #${w + 1}` : ''}`;
  }

  /** The unique slug of game `index`. */
  slug(index: number): string {
    const [a, b, c, w] = this.parts(index);
    const suffix = SUFFIX_SLUGS[c] ?? '';
    return `${ADJ_SLUGS[a]}-${NOUN_SLUGS[b]}${suffix === '' ? '' : `-${suffix}`}${w > 0 ? `-${w + 1}` : ''}`;
  }

  /** A non-negative integer that orders games by name (exact string order below the overflow). */
  sortKey(index: number): number {
    const base = index % COMBINATIONS;
    return ((base * STRIDE + this.offset) % COMBINATIONS) * this.wraps + Math.floor(index / COMBINATIONS);
  }

  /** The largest value `sortKey` can return, plus one. */
  get sortKeyLimit(): number {
    return COMBINATIONS * this.wraps;
  }

  /** The game index a slug belongs to, or undefined if no game can carry it. */
  indexOfSlug(slug: string): number | undefined {
    const tokens = slug.split('-');
    if (tokens.length < 2) return undefined;
    const a = ADJ_INDEX.get(tokens[0] ?? '');
    const b = NOUN_INDEX.get(tokens[1] ?? '');
    if (a === undefined || b === undefined) return undefined;
    let rest = tokens.slice(2);
    let w = 0;
    const last = rest.at(-1);
    if (last !== undefined && /^[1-9]\d*$/.test(last)) {
      w = Number(last) - 1;
      if (w < 1) return undefined;
      rest = rest.slice(0, -1);
    }
    const c = SUFFIX_INDEX.get(rest.join('-'));
    if (c === undefined) return undefined;
    const combo = (a * B + b) * C + c;
    const base = (((combo - this.offset + COMBINATIONS) % COMBINATIONS) * STRIDE_INVERSE) % COMBINATIONS;
    return base + w * COMBINATIONS;
  }

  private parts(index: number): [number, number, number, number] {
    const combo = ((index % COMBINATIONS) * STRIDE + this.offset) % COMBINATIONS;
    return [Math.floor(combo / (B * C)), Math.floor(combo / C) % B, combo % C, Math.floor(index / COMBINATIONS)];
  }
}
