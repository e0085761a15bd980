import type { Config } from '../../core/index.js';
import { createEmbeddedHotStore, type HotStore } from './hot-store.js';
import { openRedisHotStore } from './redis-hot-store.js';

/** The configured hot store: Redis when GMP_HOT_URL is set, else this process's memory. */
export function openHotStore(config: Pick<Config, 'hotUrl'>): Promise<HotStore> {
  return config.hotUrl ? openRedisHotStore(config.hotUrl) : Promise.resolve(createEmbeddedHotStore());
}
