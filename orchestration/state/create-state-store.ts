import type { StateLocation } from '../../core/index.js';
import { createSqliteStateStore } from './sqlite-state-store.js';
import type { StateStore } from './state-store.js';

/** Opens the state store at `location`, creating and migrating its schema on first use. */
export async function createStateStore(location: StateLocation): Promise<StateStore> {
  if (location.type === 'postgres') {
    const { createPostgresStateStore } = await import('./postgres-state-store.js');
    return createPostgresStateStore(location.url);
  }
  const store = createSqliteStateStore(location.path);
  try {
    await store.ready;
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
