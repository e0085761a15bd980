export { RAWG_ENDPOINTS, RAWG_PARTITIONS_START } from './rawg-endpoints.js';
export { GAME_ITEM, PARENT_PLATFORM_ITEM, PLATFORM_ITEM, TAXONOMY_ITEM } from './item-schemas.js';
