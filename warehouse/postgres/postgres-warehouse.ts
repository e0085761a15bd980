import { GmpError, WarehouseError } from '../../core/index.js';
import type { QueryOptions, SharedWarehouse } from '../warehouse.js';
import { postgresDialect } from './postgres-dialect.js';
import { createPostgresDriver, type PostgresDriver, type PostgresSession } from './postgres-driver.js';
import { listRelations } from './postgres-introspector.js';
import { loadedFilesDdl, loadFiles, LOADED_FILES, rawTableDdl } from './postgres-lake-load.js';
import { quoteLiteral } from './postgres-identifiers.js';

export interface PostgresWarehouseOptions {
  url: string;
  /** For readers (`gmp query`, BI-like uses): every transaction is read-only, enforced by the server. */
  readOnly?: boolean;
  statementTimeoutS?: number;
}

/**
 * The PostgreSQL warehouse: dialect + driver + capabilities. Creating it connects nothing; the
 * first statement does. Many clients share a Postgres server, so the SharedWarehouse half is
 * trivial (no turn to take, no snapshot to publish: readers see committed tables, and tables are
 * swapped in short transactions).
 */
export function createPostgresWarehouse(options: PostgresWarehouseOptions): SharedWarehouse {
  const driver: PostgresDriver = createPostgresDriver({
    url: options.url,
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.statementTimeoutS ? { statementTimeoutS: options.statementTimeoutS } : {}),
  });

  const inTransaction = <T>(work: (session: PostgresSession) => Promise<T>, signal?: AbortSignal): Promise<T> =>
    driver.withSession(async (session) => {
      await session.query('BEGIN');
      try {
        const result = await work(session);
        await session.query('COMMIT');
        return result;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        // A table's rebuild holds its relation's lock for the session (see replaceRelation): the
        // session goes back to the pool without it.
        await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        throw error;
      }
    }, signal);

  const warehouse: SharedWarehouse = {
    dialect: postgresDialect,
    capabilities: { readsLocalFiles: false, transactionalDdl: true },
    describe: () => driver.where,
    async execute(statements, opts: QueryOptions & { transaction?: boolean } = {}) {
      if (statements.length === 0) return;
      // Several statements are always one transaction: DDL is transactional here, and a model's
      // statements (build beside, swap) must never be seen half done.
      if (statements.length === 1 && !opts.transaction) {
        await driver.query(statements[0]!, undefined, opts.signal);
        return;
      }
      await inTransaction(async (session) => {
        for (const sql of statements) await session.query(sql);
      }, opts.signal);
    },
    query: async (sql, opts: QueryOptions = {}) => (await driver.query(sql, opts.params, opts.signal)).rows,
    queryTable: (sql, opts: QueryOptions = {}) => driver.query(sql, opts.params, opts.signal),
    eachChunk: (sql, opts, onChunk) => driver.eachChunk(sql, opts.params, opts.signal, onChunk),
    listRelations: () => listRelations(driver),
    ...(options.readOnly
      ? {}
      : {
          loadCommittedFiles: (entity, files, read, opts: QueryOptions = {}) =>
            inTransaction(async (session) => {
              // One loader per raw table at a time, whatever the process; table DDL under one lock too.
              await session.query(`SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(`gmp:load:${LOADED_FILES}`)}))`);
              for (const sql of [...loadedFilesDdl(), ...rawTableDdl(entity)]) await session.query(sql);
              await session.query(`SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(`gmp:load:${entity.relation}`)}))`);
              try {
                return await loadFiles(session, entity, files, read, opts.signal);
              } catch (error) {
                const file = (error as { lakeFile?: string }).lakeFile;
                // A damaged lake file names itself and the command that repairs it: passed on as is.
                if (file === undefined || error instanceof WarehouseError || (error instanceof GmpError && error.code === 'LAKE_FILE_DAMAGED')) throw error;
                throw new WarehouseError(`cannot load ${file} into ${entity.relation}: ${error instanceof Error ? error.message : String(error)}`, {
                  cause: error,
                  context: { file, relation: entity.relation },
                  hint: 'nothing was changed; if the file is damaged, re-run its partition to rewrite it',
                });
              }
            }, opts.signal),
        }),
    use: (work) => work(warehouse),
    publishSnapshot: async () => undefined,
    close: () => driver.close(),
  };
  return warehouse;
}
