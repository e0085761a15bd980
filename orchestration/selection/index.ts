export { selectAssets } from './select-assets.js';
