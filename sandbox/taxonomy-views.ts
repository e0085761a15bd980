import type { Catalogue } from './catalogue.js';
import type { GameViews } from './game-views.js';
import type { PlatformEntry, StoreEntry, TagEntry, TaxonomyEntry, TaxonomyKind } from './taxonomy.js';

type Json = Record<string, unknown>;
type SampledKind = 'genres' | 'platforms' | 'stores' | 'tags';

const SAMPLES = 6;
// Samples come from the first games only: enough to fill 6 slots for all but the rarest tags,
// and cheap enough to compute on the first taxonomy request even for a million-game catalogue.
const SAMPLE_SCAN = 20_000;

/** Builds the taxonomy list items and details (`/genres`, `/platforms`, `/tags`, …). */
export class TaxonomyViews {
  private samples: Record<SampledKind, Map<number, number[]>> | undefined;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly games: GameViews,
  ) {}

  /** The list item of entry `k` of `kind`, with its `games` samples. */
  listItem(kind: TaxonomyKind, k: number): Json {
    const e = this.catalogue.taxonomy.list(kind)[k] as TaxonomyEntry;
    const games = this.gamesOf(kind, k).map((i) => this.games.sample(i));
    const base = { id: e.id, name: e.name, slug: e.slug, games_count: e.gamesCount, image_background: e.imageBackground };
    switch (kind) {
      case 'platforms': {
        const p = e as PlatformEntry;
        return { ...base, image: null, year_start: p.yearStart, year_end: null, games };
      }
      case 'stores': {
        const s = e as StoreEntry;
        return { id: s.id, name: s.name, domain: s.domain, slug: s.slug, games_count: s.gamesCount, image_background: s.imageBackground, games };
      }
      case 'tags':
        return { ...base, language: (e as TagEntry).language, games };
      default:
        return { ...base, games };
    }
  }

  /** The detail object of entry `k` of `kind` (adds `description`, drops `games`). */
  detail(kind: TaxonomyKind, k: number): Json {
    const e = this.catalogue.taxonomy.list(kind)[k] as TaxonomyEntry;
    const description = kind === 'genres' || kind === 'platforms' || kind === 'stores' ? `<p>${e.name} on the RAWG sandbox: synthetic data.</p>` : '';
    const base = { id: e.id, name: e.name, slug: e.slug, games_count: e.gamesCount, image_background: e.imageBackground, description };
    if (kind === 'platforms') return { ...base, image: null, year_start: (e as PlatformEntry).yearStart, year_end: null };
    if (kind === 'stores') {
      const s = e as StoreEntry;
      return { id: s.id, name: s.name, domain: s.domain, slug: s.slug, games_count: s.gamesCount, image_background: s.imageBackground, description };
    }
    return base;
  }

  /** A `/platforms/lists/parents` item. */
  parentItem(k: number): Json {
    const t = this.catalogue.taxonomy;
    const parent = t.parentPlatforms[k];
    return {
      id: parent?.id,
      name: parent?.name,
      slug: parent?.slug,
      platforms: (parent?.platforms ?? []).map((p) => {
        const e = t.platforms[p];
        return { id: e?.id, name: e?.name, slug: e?.slug, games_count: e?.gamesCount, image_background: e?.imageBackground, image: null, year_start: e?.yearStart ?? null, year_end: null };
      }),
    };
  }

  private gamesOf(kind: TaxonomyKind, k: number): number[] {
    if (kind === 'developers' || kind === 'publishers') return this.catalogue.taxonomy.gamesOfCompany(kind, k, SAMPLES);
    this.samples ??= this.scanSamples();
    return this.samples[kind].get(k) ?? [];
  }

  private scanSamples(): Record<SampledKind, Map<number, number[]>> {
    const out: Record<SampledKind, Map<number, number[]>> = { genres: new Map(), platforms: new Map(), stores: new Map(), tags: new Map() };
    const limit = Math.min(this.catalogue.size, SAMPLE_SCAN);
    for (let i = 0; i < limit; i++) {
      const links = this.catalogue.links(i);
      for (const kind of ['genres', 'platforms', 'stores', 'tags'] as const) {
        for (const k of links[kind]) {
          const list = out[kind].get(k);
          if (list === undefined) out[kind].set(k, [i]);
          else if (list.length < SAMPLES) list.push(i);
        }
      }
    }
    return out;
  }
}
