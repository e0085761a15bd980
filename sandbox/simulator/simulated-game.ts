import type { Catalogue } from '../catalogue.js';

/** A game players can find, buy and play: what the simulator needs of a RAWG game. */
export interface SimulatedGame {
  /** The RAWG game id events carry as `game_id`. */
  id: number;
  /** Genre slugs (`action`, `puzzle`, …). */
  genres: readonly string[];
  /** Platform slugs (`pc`, `nintendo-switch`, `snes`, …). */
  platforms: readonly string[];
  /** `YYYY-MM-DD`, or null when unknown. */
  released: string | null;
  /** RAWG's 0–5 rating (0 when unrated). */
  rating: number;
  /** How many people added it (RAWG's `added`): the popularity weight. */
  popularity: number;
}

/**
 * The games of the sandbox catalogue (all of them, or the given ids), ascending by id: the
 * simulator's default game list, the same games the demo ingests.
 */
export function gamesFromCatalogue(catalogue: Catalogue, ids?: readonly number[]): SimulatedGame[] {
  const indices: number[] = [];
  if (ids) {
    for (const id of ids) {
      const index = catalogue.indexOfId(id);
      if (index !== undefined) indices.push(index);
    }
  } else {
    for (let i = 0; i < catalogue.size; i++) indices.push(i);
  }
  const t = catalogue.taxonomy;
  return indices
    .map((index) => {
      const core = catalogue.core(index);
      const links = catalogue.links(index);
      return {
        id: catalogue.idOf(index),
        genres: links.genres.map((g) => t.genres[g]!.slug),
        platforms: links.platforms.map((p) => t.platforms[p]!.slug),
        released: core.releasedDay === null ? null : new Date(core.releasedDay * 86_400_000).toISOString().slice(0, 10),
        rating: core.rating,
        popularity: core.added,
      };
    })
    .sort((a, b) => a.id - b.id);
}
