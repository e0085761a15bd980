import { maskPassword } from '../../core/index.js';
import { createPostgresDriver } from './postgres-driver.js';
import { createSqlStateStore } from './sql-state-store.js';
import type { StateStore } from './state-store.js';

/** Connects to the Postgres state store at `url` and migrates it; rejects if it cannot. */
export async function createPostgresStateStore(url: string): Promise<StateStore> {
  const store = createSqlStateStore(createPostgresDriver(url), maskPassword(url));
  try {
    await store.ready;
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
