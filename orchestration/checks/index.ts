export { createCheckAssets } from './check-assets.js';
export type { CheckResources } from './check-assets.js';
export { checkAssetKey, wireBlockingChecks } from './define-check.js';
export type { CheckSpec } from './define-check.js';
export { RAWG_CHECKS } from './rawg-checks.js';
