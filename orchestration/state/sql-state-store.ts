import { accountQueries } from './account-queries.js';
import { backfillQueries } from './backfill-queries.js';
import { checkQueries } from './check-queries.js';
import { daemonQueries } from './daemon-queries.js';
import { favoriteQueries } from './favorite-queries.js';
import { ledgerQueries } from './ledger-queries.js';
import { lockQueries } from './lock-queries.js';
import { migrate } from './migrations.js';
import { mlQueries } from './ml-queries.js';
import { runQueries } from './run-queries.js';
import { settingQueries } from './setting-queries.js';
import { eventSourceQueries } from './event-source-queries.js';
import type { SqlDriver } from './sql-driver.js';
import type { StateStore } from './state-store.js';

/** A StateStore that may still be migrating; `ready` settles when it has (or has failed to). */
export interface SqlStateStore extends StateStore {
  readonly ready: Promise<void>;
}

/**
 * The StateStore over any SqlDriver. Migration starts at once; calls made meanwhile wait for it,
 * so a synchronous factory can hand the store out before its schema is ready.
 */
export function createSqlStateStore(driver: SqlDriver, description: string): SqlStateStore {
  const ready = migrate(driver);
  // Observed through every call and through `ready`; never an unhandled rejection.
  ready.catch(() => undefined);
  const db = afterReady(driver, ready);
  return {
    description,
    ready,
    ...runQueries(db),
    ...backfillQueries(db),
    ...lockQueries(db),
    ...ledgerQueries(db),
    ...checkQueries(db),
    ...accountQueries(db),
    ...daemonQueries(db),
    ...favoriteQueries(db),
    ...settingQueries(db),
    ...eventSourceQueries(db),
    ...mlQueries(db),
    async close() {
      await ready.catch(() => undefined);
      await driver.close();
    },
  };
}

function afterReady(driver: SqlDriver, ready: Promise<void>): SqlDriver {
  return {
    dialect: driver.dialect,
    query: async (sql, params) => {
      await ready;
      return driver.query(sql, params);
    },
    execute: async (sql, params) => {
      await ready;
      return driver.execute(sql, params);
    },
    transaction: async (fn) => {
      await ready;
      return driver.transaction(fn);
    },
    close: () => driver.close(),
  };
}
