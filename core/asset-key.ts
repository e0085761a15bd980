import { UsageError } from './errors/index.js';

/** An asset's identity: a slash path such as `rawg/games` or `marts/dim_games`. */
export type AssetKey = string;

const SEGMENT = /^[a-z0-9_][a-z0-9_.-]*$/i;

/** Validates an asset key's shape; throws UsageError otherwise. */
export function parseAssetKey(text: string): AssetKey {
  const parts = text.split('/');
  if (parts.length === 0 || parts.some((p) => !SEGMENT.test(p))) {
    throw new UsageError(`invalid asset key ${JSON.stringify(text)}: expected slash-separated names like rawg/games`);
  }
  return text;
}
