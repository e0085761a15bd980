import type { ModelVersion } from '../tracking/tracking-store.js';
import { GAME_MODELS, type GameModelDefinition } from '../training/game-models.js';

/** The registry's aliases: every new version is the `candidate`; `production` is what serves. */
export const ALIASES = { production: 'production', candidate: 'candidate' } as const;

/** The version of `model` that `production` points at, among `versions` (of any models). */
export function productionVersion(versions: readonly ModelVersion[], model: string): ModelVersion | undefined {
  return versions.find((v) => v.model === model && v.aliases.includes(ALIASES.production));
}

/** Each game model with its production version, in GAME_MODELS order; models without one are left out. */
export function productionVersions(versions: readonly ModelVersion[]): { definition: GameModelDefinition; version: ModelVersion }[] {
  return GAME_MODELS.flatMap((definition) => {
    const version = productionVersion(versions, definition.model);
    return version === undefined ? [] : [{ definition, version }];
  });
}
