import { ConfigError, type StateLocation } from '../../core/index.js';
import { createSqliteStateStore } from './sqlite-state-store.js';
import type { StateStore } from './state-store.js';

/** Opens the state store at `location`, creating and migrating its schema on first use. */
export async function createStateStore(location: StateLocation): Promise<StateStore> {
  if (location.type === 'sqlite') return createSqliteStateStore(location.path);
  throw new ConfigError('GMP_STATE_URL: the Postgres state store is not available in this build yet');
}
