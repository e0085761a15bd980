import { CREATOR_ROLES } from './creator-roles.js';
import { ESRB_RATINGS } from './esrb-ratings.js';
import { GENRES } from './genres-data.js';
import { mediaUrl } from './media-url.js';
import { modInverse } from './mod-inverse.js';
import { NAME_WORDS } from './name-words.js';
import { PARENT_PLATFORMS, PLATFORMS } from './platforms-data.js';
import { hash32 } from './prng.js';
import { slugify } from './slugify.js';
import { STORES } from './stores-data.js';
import type { StoreData } from './stores-data.js';
import { REAL_TAGS } from './tags-data.js';
import { WeightedPicker } from './weighted-picker.js';

/** One item of a RAWG taxonomy list (genre, platform, store, tag, developer, publisher). */
export interface TaxonomyEntry {
  id: number;
  name: string;
  slug: string;
  imageBackground: string;
  /** Approximate for genres/platforms/stores/tags; exact primary links for developers/publishers. */
  gamesCount: number;
}
export interface PlatformEntry extends TaxonomyEntry {
  parentId: number;
  yearStart: number | null;
}
export interface StoreEntry extends TaxonomyEntry {
  domain: string;
  parents: readonly number[];
  url: StoreData['url'];
}
export interface TagEntry extends TaxonomyEntry {
  language: 'eng' | 'rus';
}
export interface ParentPlatformEntry {
  id: number;
  name: string;
  slug: string;
  /** Indices into `Taxonomy.platforms`. */
  platforms: readonly number[];
}
export type TaxonomyKind = 'genres' | 'platforms' | 'stores' | 'tags' | 'developers' | 'publishers';

/** Mean number of distinct picks per game; the generator draws with these means. */
const MEAN_PICKS = { genres: 2, platforms: 2.25, stores: 1.6, tags: 7.6 } as const;
const DEVELOPER_COUNT = 3000;
const PUBLISHER_COUNT = 1000;
const SYNTHETIC_TAGS = 200;
// Primes coprime with the list sizes: game i's primary developer is (i * stride + offset) mod size,
// which can be inverted to list a developer's games without scanning the catalogue.
const DEVELOPER_STRIDE = 1009;
const PUBLISHER_STRIDE = 1013;
const NAME_STRIDE = 7919;

/**
 * Every taxonomy of the sandbox: the real small ones (genres, platforms, parents, stores, ESRB,
 * creator roles), real + synthetic tags, and generated developers and publishers.
 */
export class Taxonomy {
  readonly genres: TaxonomyEntry[];
  readonly platforms: PlatformEntry[];
  readonly parentPlatforms: ParentPlatformEntry[];
  readonly stores: StoreEntry[];
  readonly tags: TagEntry[];
  readonly developers: TaxonomyEntry[];
  readonly publishers: TaxonomyEntry[];
  readonly esrbRatings = ESRB_RATINGS;
  readonly creatorRoles = CREATOR_ROLES;
  readonly pickers: { genres: WeightedPicker; platforms: WeightedPicker; stores: WeightedPicker; tags: WeightedPicker; esrb: WeightedPicker };
  /** Parent index (into parentPlatforms) of each platform index. */
  readonly parentOfPlatform: number[];
  private readonly developerOffset: number;
  private readonly publisherOffset: number;
  private readonly developerInverse = modInverse(DEVELOPER_STRIDE, DEVELOPER_COUNT);
  private readonly publisherInverse = modInverse(PUBLISHER_STRIDE, PUBLISHER_COUNT);
  private readonly lookups = new Map<TaxonomyKind, Map<string, number>>();

  constructor(
    readonly seed: number,
    readonly totalGames: number,
  ) {
    const image = (kind: number, id: number): string => mediaUrl('games', 0x7a58, kind, id);
    const pickers = {
      genres: new WeightedPicker(GENRES.map((g) => g.weight)),
      // Flattened so consoles show up next to PC, as they do in a modern catalogue.
      platforms: new WeightedPicker(PLATFORMS.map((p) => Math.pow(p.weight, 0.75))),
      stores: new WeightedPicker(STORES.map((s) => Math.sqrt(s.weight))),
      tags: new WeightedPicker([]),
      esrb: new WeightedPicker(ESRB_RATINGS.map((e) => e.weight)),
    };
    const count = (picker: WeightedPicker, k: number, picks: number): number =>
      Math.round(totalGames * picker.coverage(k, picks));

    this.genres = GENRES.map((g, k) => ({
      id: g.id, name: g.name, slug: g.slug, imageBackground: image(1, g.id), gamesCount: count(pickers.genres, k, MEAN_PICKS.genres),
    }));
    this.platforms = PLATFORMS.map((p, k) => ({
      id: p.id, name: p.name, slug: p.slug, imageBackground: image(2, p.id), gamesCount: count(pickers.platforms, k, MEAN_PICKS.platforms),
      parentId: p.parent, yearStart: p.yearStart,
    }));
    const platformIndex = new Map(PLATFORMS.map((p, k) => [p.id, k]));
    this.parentPlatforms = PARENT_PLATFORMS.map((pp) => ({
      id: pp.id, name: pp.name, slug: pp.slug, platforms: pp.platforms.map((id) => platformIndex.get(id) ?? -1).filter((k) => k >= 0),
    }));
    const parentIndex = new Map(PARENT_PLATFORMS.map((pp, k) => [pp.id, k]));
    this.parentOfPlatform = PLATFORMS.map((p) => parentIndex.get(p.parent) ?? 0);
    this.stores = STORES.map((s, k) => ({
      id: s.id, name: s.name, slug: s.slug, imageBackground: image(3, s.id), gamesCount: count(pickers.stores, k, MEAN_PICKS.stores),
      domain: s.domain, parents: s.parents, url: s.url,
    }));

    const tags = buildTags();
    pickers.tags = new WeightedPicker(tags.map((t) => Math.pow(t.weight, 0.6)));
    this.tags = tags.map((t, k) => ({
      id: t.id, name: t.name, slug: t.slug, language: t.language, imageBackground: image(4, t.id),
      gamesCount: count(pickers.tags, k, MEAN_PICKS.tags),
    }));
    this.pickers = pickers;

    this.developerOffset = hash32(seed, 0x646576) % DEVELOPER_COUNT;
    this.publisherOffset = hash32(seed, 0x707562) % PUBLISHER_COUNT;
    this.developers = companies(seed, 0x44, DEVELOPER_COUNT, NAME_WORDS.studioForms).map((c, k) => ({
      id: c.id, name: c.name, slug: c.slug, imageBackground: image(5, c.id),
      gamesCount: this.primaryCount(k, DEVELOPER_COUNT, this.developerOffset, this.developerInverse),
    }));
    this.publishers = companies(seed, 0x50, PUBLISHER_COUNT, NAME_WORDS.publisherForms).map((c, k) => ({
      id: c.id, name: c.name, slug: c.slug, imageBackground: image(6, c.id),
      gamesCount: this.primaryCount(k, PUBLISHER_COUNT, this.publisherOffset, this.publisherInverse),
    }));
  }

  /** The entries of one taxonomy kind. */
  list(kind: TaxonomyKind): readonly TaxonomyEntry[] {
    return this[kind];
  }

  /** Index of an entry by id or slug (as RAWG accepts both in filters and detail paths). */
  indexOf(kind: TaxonomyKind, idOrSlug: string): number | undefined {
    let lookup = this.lookups.get(kind);
    if (lookup === undefined) {
      lookup = new Map();
      this.list(kind).forEach((e, k) => {
        lookup?.set(String(e.id), k);
        lookup?.set(e.slug, k);
      });
      this.lookups.set(kind, lookup);
    }
    return lookup.get(idOrSlug);
  }

  /** The primary developer (index) of game `gameIndex`. */
  developerOfGame(gameIndex: number): number {
    return (gameIndex * DEVELOPER_STRIDE + this.developerOffset) % DEVELOPER_COUNT;
  }

  /** The publisher (index) of game `gameIndex`. */
  publisherOfGame(gameIndex: number): number {
    return (gameIndex * PUBLISHER_STRIDE + this.publisherOffset) % PUBLISHER_COUNT;
  }

  /** The first `limit` game indices whose primary developer / publisher is entry `k`. */
  gamesOfCompany(kind: 'developers' | 'publishers', k: number, limit: number): number[] {
    const [size, offset, inverse] = kind === 'developers'
      ? [DEVELOPER_COUNT, this.developerOffset, this.developerInverse]
      : [PUBLISHER_COUNT, this.publisherOffset, this.publisherInverse];
    const first = (((k - offset + size) % size) * inverse) % size;
    const out: number[] = [];
    for (let i = first; i < this.totalGames && out.length < limit; i += size) out.push(i);
    return out;
  }

  private primaryCount(k: number, size: number, offset: number, inverse: number): number {
    const first = (((k - offset + size) % size) * inverse) % size;
    return first >= this.totalGames ? 0 : Math.floor((this.totalGames - 1 - first) / size) + 1;
  }
}

interface TagSeed {
  id: number;
  name: string;
  slug: string;
  language: 'eng' | 'rus';
  weight: number;
}

function buildTags(): TagSeed[] {
  const real: TagSeed[] = REAL_TAGS.trim()
    .split('\n')
    .map((line) => {
      const [id, name, slug, language, count] = line.split('|');
      return { id: Number(id), name: name ?? '', slug: slug ?? '', language: language === 'rus' ? 'rus' : 'eng', weight: Number(count) };
    });
  const taken = new Set(real.map((t) => t.slug));
  const heads = NAME_WORDS.tagHeads.trim().split(/\s+/);
  const tails = NAME_WORDS.tagTails.trim().split(/\s+/);
  const synthetic: TagSeed[] = [];
  for (let k = 0; synthetic.length < SYNTHETIC_TAGS && k < heads.length * tails.length; k++) {
    // Stride through the grid so the synthetic tags are not all "Ambient …".
    const j = (k * 7) % (heads.length * tails.length);
    const name = `${heads[Math.floor(j / tails.length)]} ${tails[j % tails.length]}`;
    const slug = slugify(name);
    if (taken.has(slug)) continue;
    taken.add(slug);
    synthetic.push({ id: 80_000 + synthetic.length, name, slug, language: 'eng', weight: 50 + (hash32(j, 0x746167) % 2000) });
  }
  return [...real, ...synthetic];
}

function companies(seed: number, salt: number, count: number, forms: readonly string[]): { id: number; name: string; slug: string }[] {
  const adjectives = NAME_WORDS.adjectives.trim().split(/\s+/);
  const nouns = NAME_WORDS.nouns.trim().split(/\s+/);
  const space = adjectives.length * nouns.length * forms.length;
  const offset = hash32(seed, salt) % space;
  const out: { id: number; name: string; slug: string }[] = [];
  for (let k = 0; k < count; k++) {
    // A bijection of k, so names (and slugs) never repeat within a list.
    const j = (k * NAME_STRIDE + offset) % space;
    const name = `${adjectives[Math.floor(j / (nouns.length * forms.length))]} ${nouns[Math.floor(j / forms.length) % nouns.length]} ${forms[j % forms.length]}`;
    out.push({ id: k + 1, name, slug: slugify(name) });
  }
  return out;
}
