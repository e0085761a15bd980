import type { Catalogue } from './catalogue.js';
import type { GameCore, GameLinks } from './game-generator.js';
import { mediaUrl } from './media-url.js';
import { hash32 } from './prng.js';
import type { Prng } from './prng.js';
import type { PlatformEntry, TaxonomyEntry } from './taxonomy.js';
import { formatDay, formatTimestamp } from './utc-day.js';

type Json = Record<string, unknown>;

const CPUS = ['Intel Core i3-2100', 'Intel Core i5-4460', 'Intel Core i7-6700', 'AMD Ryzen 5 1600', 'AMD FX-6300', 'Intel Core 2 Duo E8400'];
const GPUS = ['NVIDIA GeForce GTX 660', 'NVIDIA GeForce GTX 1060', 'AMD Radeon RX 570', 'Intel HD Graphics 4000', 'NVIDIA GeForce RTX 2060'];
const SETTINGS = ['city', 'desert', 'archipelago', 'space station', 'forest', 'underground kingdom', 'frozen wasteland', 'haunted mansion'];
const VERBS = ['explore', 'defend', 'rebuild', 'escape', 'conquer', 'survive in', 'uncover the secrets of', 'race across'];
const FEATURES = ['procedurally generated levels', 'a branching story', 'local co-op', 'online leaderboards', 'hand-drawn art', 'a dynamic soundtrack', 'permadeath', 'a crafting system'];

/**
 * Builds RAWG's game JSON shapes (full list item, slim list item, detail) from a catalogue game.
 * Key order follows the recorded responses, so serialised pages diff cleanly against fixtures.
 */
export class GameViews {
  constructor(private readonly catalogue: Catalogue) {}

  /** A `/games` item as served for unfiltered requests (full platform/store/genre objects). */
  fullListItem(index: number): Json {
    const c = this.catalogue;
    const core = c.core(index);
    const links = c.links(index);
    const t = c.taxonomy;
    const released = core.releasedDay === null ? null : formatDay(core.releasedDay);
    const background = this.background(index, links);
    return {
      id: c.idOf(index),
      slug: c.names.slug(index),
      name: c.names.name(index),
      released,
      tba: core.tba,
      background_image: background,
      rating: core.rating,
      rating_top: core.ratingTop,
      ratings: core.ratings,
      ratings_count: core.ratingsCount,
      reviews_text_count: core.reviewsTextCount,
      added: core.added,
      added_by_status: core.addedByStatus,
      metacritic: core.metacritic,
      playtime: core.playtime,
      suggestions_count: core.suggestionsCount,
      updated: formatTimestamp(core.updatedSec),
      user_game: null,
      reviews_count: core.reviewsCount,
      saturated_color: '0f0f0f',
      dominant_color: '0f0f0f',
      platforms: links.platforms.map((p) => {
        const pc = t.platforms[p]?.id === 4 && links.pcRequirements > 0;
        return {
          platform: this.platformInGame(p),
          released_at: released,
          requirements_en: pc ? this.requirements(index, links, 'en') : null,
          requirements_ru: pc && links.ruRequirements ? this.requirements(index, links, 'ru') : null,
        };
      }),
      parent_platforms: this.parentPlatforms(links),
      genres: links.genres.map((g) => entry(t.genres[g])),
      stores: links.stores.map((s, k) => ({ id: this.storeLinkId(index, k), store: this.storeFull(s) })),
      clip: null,
      tags: links.tags.map((k) => this.tag(k)),
      esrb_rating: this.esrb(links, false),
      short_screenshots: this.shortScreenshots(index, links, background),
    };
  }

  /** A `/games` item as served for filtered requests (slim platforms/stores/genres, `score`). */
  slimListItem(index: number, withScore: boolean): Json {
    const c = this.catalogue;
    const core = c.core(index);
    const links = c.links(index);
    const t = c.taxonomy;
    const background = this.background(index, links);
    const item: Json = {
      slug: c.names.slug(index),
      name: c.names.name(index),
      playtime: core.playtime,
      platforms: links.platforms.map((p) => ({ platform: idNameSlug(t.platforms[p]) })),
      // RAWG sends null rather than [] for a game without store links in this shape.
      stores: links.stores.length === 0 ? null : links.stores.map((s) => ({ store: idNameSlug(t.stores[s]) })),
      released: core.releasedDay === null ? null : formatDay(core.releasedDay),
      tba: core.tba,
      background_image: background,
      rating: core.rating,
      rating_top: core.ratingTop,
      ratings: core.ratings,
      ratings_count: core.ratingsCount,
      reviews_text_count: core.reviewsTextCount,
      added: core.added,
      added_by_status: core.addedByStatus,
      metacritic: core.metacritic,
      suggestions_count: core.suggestionsCount,
      updated: formatTimestamp(core.updatedSec),
      id: c.idOf(index),
      score: withScore ? this.score(core, links) : null,
      clip: null,
      tags: links.tags.map((k) => this.tag(k)),
      esrb_rating: this.esrb(links, true),
      user_game: null,
      reviews_count: core.reviewsCount,
    };
    if (links.communityRating) item.community_rating = 0;
    item.saturated_color = '0f0f0f';
    item.dominant_color = '0f0f0f';
    item.short_screenshots = this.shortScreenshots(index, links, background);
    item.parent_platforms = this.parentPlatforms(links);
    item.genres = links.genres.map((g) => idNameSlug(t.genres[g]));
    return item;
  }

  /** The `/games/{id}` detail object. */
  detail(index: number): Json {
    const c = this.catalogue;
    const core = c.core(index);
    const links = c.links(index);
    const t = c.taxonomy;
    const rng = c.generator.detailRng(index);
    const name = c.names.name(index);
    const slug = c.names.slug(index);
    const released = core.releasedDay === null ? null : formatDay(core.releasedDay);
    const background = this.background(index, links);
    const paragraphs = rng() < 0.08 ? [] : this.description(rng, name, links);
    const metacriticPlatforms =
      core.metacritic === null
        ? []
        : links.platforms.slice(0, 2).map((p) => {
            const platform = t.platforms[p];
            const meta = core.metacritic ?? 0;
            return {
              metascore: Math.max(20, Math.min(99, meta + Math.floor(rng() * 11) - 5)),
              url: `https://www.metacritic.com/game/${platform?.slug ?? 'pc'}/${slug}`,
              platform: { platform: platform?.id ?? 0, name: platform?.name ?? '', slug: platform?.slug ?? '' },
            };
          });
    const hasReddit = rng() < 0.2;
    const achievements = rng() < 0.5 ? 0 : Math.floor(rng() * 120);
    const reactions: Record<string, number> = {};
    if (core.added > 50) for (let k = 1; k <= 21; k++) if (rng() < 0.45) reactions[String(k)] = 1 + Math.floor(rng() ** 2 * 30);
    return {
      id: c.idOf(index),
      slug,
      name,
      name_original: name,
      description: paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
      metacritic: core.metacritic,
      metacritic_platforms: metacriticPlatforms,
      released,
      tba: core.tba,
      updated: formatTimestamp(core.updatedSec),
      background_image: background,
      background_image_additional: background === null ? null : mediaUrl('screenshots', c.seed, index, 77),
      website: rng() < 0.6 ? `https://www.${slug.replace(/-/g, '')}.com/` : '',
      rating: core.rating,
      rating_top: core.ratingTop,
      ratings: core.ratings,
      reactions,
      added: core.added,
      added_by_status: core.addedByStatus,
      playtime: core.playtime,
      screenshots_count: links.screenshots + Math.floor(rng() * 20),
      movies_count: Math.floor(rng() ** 3 * 5),
      creators_count: Math.floor(rng() ** 2 * 15),
      achievements_count: achievements,
      parent_achievements_count: Math.floor(achievements * rng()),
      reddit_url: hasReddit ? `https://www.reddit.com/r/${name.replace(/[^A-Za-z0-9]/g, '')}/` : '',
      reddit_name: '',
      reddit_description: '',
      reddit_logo: '',
      reddit_count: hasReddit ? Math.floor(rng() * 5000) : 0,
      twitch_count: Math.floor(rng() ** 4 * 100),
      youtube_count: Math.floor(rng() ** 3 * 100_000),
      reviews_text_count: core.reviewsTextCount,
      ratings_count: core.ratingsCount,
      suggestions_count: core.suggestionsCount,
      alternative_names: rng() < 0.15 ? [name.split(/[\s:]+/).filter(Boolean).map((w) => w[0]).join('')] : [],
      metacritic_url: metacriticPlatforms[0]?.url ?? '',
      parents_count: rng() < 0.05 ? 1 : 0,
      additions_count: Math.floor(rng() ** 4 * 5),
      game_series_count: Math.floor(rng() ** 3 * 10),
      user_game: null,
      reviews_count: core.reviewsCount,
      saturated_color: '0f0f0f',
      dominant_color: '0f0f0f',
      parent_platforms: this.parentPlatforms(links),
      platforms: links.platforms.map((p) => {
        const pc = t.platforms[p]?.id === 4 && links.pcRequirements > 0;
        return { platform: this.platformInGame(p), released_at: released, requirements: pc ? this.requirements(index, links, 'en') : {} };
      }),
      stores: links.stores.map((s, k) => {
        const store = t.stores[s];
        const url = store === undefined || rng() < 0.4 ? '' : store.url(slug, 100_000 + (hash32(c.seed, index, s) % 900_000));
        return { id: this.storeLinkId(index, k), url, store: this.storeFull(s) };
      }),
      developers: links.developers.map((d) => entry(t.developers[d])),
      genres: links.genres.map((g) => entry(t.genres[g])),
      tags: links.tags.map((k) => this.tag(k)),
      publishers: [entry(t.publishers[links.publisher])],
      esrb_rating: this.esrb(links, false),
      clip: null,
      description_raw: paragraphs.join('\n'),
    };
  }

  /** The `{id, slug, name, added}` sample RAWG embeds in taxonomy list items. */
  sample(index: number): Json {
    const c = this.catalogue;
    return { id: c.idOf(index), slug: c.names.slug(index), name: c.names.name(index), added: c.core(index).added };
  }

  private background(index: number, links: GameLinks): string | null {
    return links.hasBackground ? mediaUrl('games', this.catalogue.seed, index, 0) : null;
  }

  private shortScreenshots(index: number, links: GameLinks, background: string | null): Json[] {
    if (background === null) return [];
    const shots: Json[] = [{ id: -1, image: background }];
    for (let k = 0; k < links.screenshots; k++) {
      shots.push({ id: 1_000_000 + index * 8 + k, image: mediaUrl('screenshots', this.catalogue.seed, index, k + 1) });
    }
    return shots;
  }

  private platformInGame(p: number): Json {
    const platform = this.catalogue.taxonomy.platforms[p] as PlatformEntry;
    return {
      id: platform.id,
      name: platform.name,
      slug: platform.slug,
      image: null,
      year_end: null,
      year_start: platform.yearStart,
      games_count: platform.gamesCount,
      image_background: platform.imageBackground,
    };
  }

  private parentPlatforms(links: GameLinks): Json[] {
    return links.parents.map((p) => ({ platform: idNameSlug(this.catalogue.taxonomy.parentPlatforms[p]) }));
  }

  private storeFull(s: number): Json {
    const store = this.catalogue.taxonomy.stores[s];
    return {
      id: store?.id,
      name: store?.name,
      slug: store?.slug,
      domain: store?.domain,
      games_count: store?.gamesCount,
      image_background: store?.imageBackground,
    };
  }

  private storeLinkId(index: number, position: number): number {
    // Unique per (game, position), like RAWG's game-store link ids.
    return 200_000 + index * 4 + position;
  }

  private tag(k: number): Json {
    const tag = this.catalogue.taxonomy.tags[k];
    return {
      id: tag?.id,
      name: tag?.name,
      slug: tag?.slug,
      language: tag?.language,
      games_count: tag?.gamesCount,
      image_background: tag?.imageBackground,
    };
  }

  private esrb(links: GameLinks, slim: boolean): Json | null {
    const rating = this.catalogue.taxonomy.esrbRatings[links.esrb];
    if (rating === undefined) return null;
    return slim
      ? { id: rating.id, name: rating.name, slug: rating.slug, name_en: rating.name, name_ru: rating.nameRu }
      : { id: rating.id, name: rating.name, slug: rating.slug };
  }

  private score(core: GameCore, links: GameLinks): string {
    // Higher for popular games, like RAWG's search relevance; RAWG prints up to 6 decimals.
    const value = 8 + Math.log1p(core.added) * 2.5 + links.scoreJitter * 6;
    return String(Math.round(value * 1e6) / 1e6);
  }

  private requirements(index: number, links: GameLinks, language: 'en' | 'ru'): Json {
    const h = hash32(this.catalogue.seed, index, 20);
    const cpu = CPUS[h % CPUS.length] ?? '';
    const gpu = GPUS[(h >>> 8) % GPUS.length] ?? '';
    const ram = 2 + ((h >>> 16) % 4) * 2;
    const storage = 1 + ((h >>> 20) % 60);
    const [minLabel, recLabel, os] = language === 'en' ? ['Minimum:', 'Recommended:', 'OS:'] : ['Минимальные:', 'Рекомендуемые:', 'ОС:'];
    const minimum = `${minLabel}\n${os} Windows 10 64-bit\nProcessor: ${cpu}\nMemory: ${ram} GB RAM\nGraphics: ${gpu}\nStorage: ${storage} GB available space`;
    if (links.pcRequirements === 1) return { minimum };
    return {
      minimum,
      recommended: `${recLabel}\n${os} Windows 11 64-bit\nProcessor: ${cpu}\nMemory: ${ram * 2} GB RAM\nGraphics: ${gpu}\nStorage: ${storage} GB available space`,
    };
  }

  private description(rng: Prng, name: string, links: GameLinks): string[] {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
    const genre = this.catalogue.taxonomy.genres[links.genres[0] ?? 0]?.name.toLowerCase() ?? 'action';
    const out = [
      `${name} is a ${genre} game in which you ${pick(VERBS)} a ${pick(SETTINGS)}.`,
      `It features ${pick(FEATURES)} and ${pick(FEATURES)}.`,
    ];
    if (rng() < 0.5) out.push(`Every run through the ${pick(SETTINGS)} plays out differently, so no two sessions feel the same.`);
    return out;
  }
}

function entry(e: TaxonomyEntry | undefined): Json {
  return { id: e?.id, name: e?.name, slug: e?.slug, games_count: e?.gamesCount, image_background: e?.imageBackground };
}

function idNameSlug(e: { id: number; name: string; slug: string } | undefined): Json {
  return { id: e?.id, name: e?.name, slug: e?.slug };
}
