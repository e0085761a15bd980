import { createSqliteDriver } from './sqlite-driver.js';
import { createSqlStateStore, type SqlStateStore } from './sql-state-store.js';

/**
 * Opens (creating and migrating) the SQLite state store at `file` (`:memory:` for tests). Usable
 * at once; await `ready` to see a migration failure before the first call.
 */
export function createSqliteStateStore(file: string): SqlStateStore {
  return createSqlStateStore(createSqliteDriver(file), `sqlite://${file}`);
}
