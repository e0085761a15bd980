import { silentLogger, type Logger } from '../../core/index.js';
import type { CommittedPartition, LakeEntity, QueryOptions, Row, SharedWarehouse } from '../warehouse.js';
import { snowflakeDialect } from './snowflake-dialect.js';
import { createSnowflakeDriver, type SnowflakeDriver, type SnowflakeDriverOptions, type StatementOptions } from './snowflake-driver.js';
import {
  NOW_MS_QUERY,
  addFilesStatements,
  committedOrder,
  committedPartitionsQuery,
  mergeCommittedStatements,
  registeredFilesQuery,
  removeFilesStatements,
} from './snowflake-lake-sql.js';
import { assertReadOnlyStatement } from './snowflake-read-only-statement.js';
import { normalizeName } from './snowflake-session.js';

// Snowflake commits implicitly before and after DDL, so DDL cannot share a transaction with DML.
const DDL = /^\s*(CREATE|ALTER|DROP|UNDROP|GRANT|REVOKE|COMMENT|TRUNCATE|USE)\b/i;
const FILE_PARTITION = /dt=(\d{4}-\d{2}-\d{2})\/run=([A-Za-z0-9_-]+)\//;

export type SnowflakeWarehouseOptions = SnowflakeDriverOptions & {
  /** Inject a driver (tests); by default one is created from the options. */
  driver?: SnowflakeDriver;
  /**
   * For `gmp query`: every statement must be one read-only statement (assertReadOnlyStatement,
   * UsageError otherwise) — a guard against mistakes, since the session has the pipeline's role.
   */
  readOnly?: boolean;
};

/**
 * The Snowflake warehouse: dialect + driver + capabilities. Creating it connects nothing and
 * imports nothing; the first statement logs in. Many processes share Snowflake, so the
 * SharedWarehouse half is trivial (`use` runs at once, there is no snapshot to publish).
 */
export function createSnowflakeWarehouse(options: SnowflakeWarehouseOptions): SharedWarehouse {
  const driver = options.driver ?? createSnowflakeDriver(options);
  const statementOptions = (opts: QueryOptions = {}): StatementOptions => ({
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.tag ? { tag: opts.tag } : {}),
    ...(opts.params ? { binds: opts.params as StatementOptions['binds'] } : {}),
  });

  const guard = (sql: string): string => {
    if (options.readOnly) assertReadOnlyStatement(sql);
    return sql;
  };

  const warehouse: SharedWarehouse = {
    dialect: snowflakeDialect,
    capabilities: { readsLocalFiles: false, transactionalDdl: false },
    describe: () => `snowflake://${options.account.toLowerCase()}`,
    async execute(statements, opts: QueryOptions & { transaction?: boolean } = {}) {
      statements.forEach(guard);
      const so = statementOptions(opts);
      if (!opts.transaction) {
        for (const sql of statements) await driver.run(sql, so);
        return;
      }
      // Leading DDL (CREATE SCHEMA/TABLE IF NOT EXISTS) first, then the rest as one transaction.
      const firstDml = statements.findIndex((sql) => !DDL.test(sql));
      const ddl = firstDml < 0 ? statements : statements.slice(0, firstDml);
      const dml = firstDml < 0 ? [] : statements.slice(firstDml);
      if (dml.some((sql) => DDL.test(sql))) {
        throw new Error('Snowflake cannot run DDL inside a transaction: put the DDL statements first');
      }
      for (const sql of ddl) await driver.run(sql, so);
      if (dml.length > 0) await inTransaction(driver, dml, so);
    },
    query: async (sql, opts) => driver.run(guard(sql), statementOptions(opts)),
    async listRelations() {
      const rows = await driver.run(
        `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema <> 'INFORMATION_SCHEMA' ORDER BY 1, 2`,
      );
      return rows.map((r) => ({
        schema: normalizeName(String(r.table_schema)),
        name: normalizeName(String(r.table_name)),
        type: r.table_type === 'VIEW' ? ('view' as const) : ('table' as const),
      }));
    },
    ...(options.readOnly
      ? {}
      : {
          exposeCommittedFiles: (entity: LakeEntity, listCommitted: () => Promise<readonly CommittedPartition[]>, opts?: QueryOptions) =>
            exposeCommittedFiles(driver, options.logger ?? silentLogger, entity, listCommitted, statementOptions(opts)),
        }),
    use: (work) => work(warehouse),
    publishSnapshot: async () => undefined,
    close: () => driver.close(),
  };
  return warehouse;
}

async function inTransaction(driver: SnowflakeDriver, statements: readonly string[], so: StatementOptions): Promise<void> {
  await driver.withSession(async (session) => {
    await session.run('BEGIN TRANSACTION', so);
    try {
      for (const sql of statements) await session.run(sql, so);
      await session.run('COMMIT', so);
    } catch (error) {
      await session.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }, so.signal);
}

/**
 * Registers the committed files, switches each partition to its committed run, and unregisters
 * superseded files — only those this call can prove superseded, so a concurrent refresh of
 * another partition in another process is never undone (see snowflake-lake-sql.ts):
 *   - registered before this call started listing the lake (anything later may be a newer commit
 *     whose MERGE is still to come), and
 *   - of a partition whose committed run this listing agrees with, and not of that run.
 */
async function exposeCommittedFiles(
  driver: SnowflakeDriver,
  logger: Logger,
  entity: LakeEntity,
  listCommitted: () => Promise<readonly CommittedPartition[]>,
  so: StatementOptions,
): Promise<void> {
  const { relation, entityPath } = entity;
  const [clock] = await driver.run(NOW_MS_QUERY, so);
  const startedMs = Number(clock?.now_ms);
  const partitions = await listCommitted();
  const listed = new Map(partitions.map((p) => [p.dt, p]));
  const before = await committedRuns(driver, relation, so);
  const registered = (await driver.run(registeredFilesQuery(relation), so)).map((r) => ({
    key: lakeKeyOf(String(r.file_name), entityPath),
    registeredMs: Number(r.registered_ms),
  }));
  const known = new Set(registered.map((f) => f.key));
  // A listing older than what is already committed for a dt has nothing to add there.
  const fresh = partitions.filter((p) => {
    const stored = before.get(p.dt);
    return stored === undefined || committedOrder(p, stored) >= 0;
  });
  const toAdd = fresh.flatMap((p) => p.keys).filter((k) => !known.has(k));
  for (const sql of addFilesStatements(relation, toAdd.map((k) => relativeTo(k, entityPath)))) await driver.run(sql, so);
  for (const sql of mergeCommittedStatements(relation, fresh)) await driver.run(sql, so);
  const after = await committedRuns(driver, relation, so);
  for (const p of partitions) {
    const stored = after.get(p.dt);
    if (stored === undefined || stored.runId === p.runId) continue;
    // The view keeps the run it shows; files the lake deletes after its next commit may be missing then.
    logger.warn(
      { relation, dt: p.dt, listedRunId: p.runId, listedGeneration: p.generation ?? 0, shownRunId: stored.runId, shownGeneration: stored.generation },
      'Snowflake shows another run than the lake listing names and did not switch to it (the listing is stale, or a concurrent refresh exposed a newer commit)',
    );
  }
  const superseded = registered.filter((f) => {
    const m = FILE_PARTITION.exec(f.key);
    if (m === null || !(f.registeredMs < startedMs)) return false;
    const [, dt = '', runId] = m;
    const committed = after.get(dt)?.runId;
    return committed !== undefined && committed !== runId && listed.get(dt)?.runId === committed;
  });
  for (const sql of removeFilesStatements(relation, superseded.map((f) => relativeTo(f.key, entityPath)))) await driver.run(sql, so);
}

async function committedRuns(driver: SnowflakeDriver, relation: string, so: StatementOptions): Promise<Map<string, { runId: string; generation: number }>> {
  const rows: Row[] = await driver.run(committedPartitionsQuery(relation), so);
  return new Map(rows.map((r) => [String(r.dt), { runId: String(r.run_id), generation: Number(r.generation) }]));
}

/** A registered FILE_NAME (path in the stage, or in the table location) as a lake key. */
function lakeKeyOf(fileName: string, entityPath: string): string {
  const at = fileName.indexOf(entityPath);
  return at >= 0 ? fileName.slice(at) : `${entityPath}${fileName.replace(/^\/+/, '')}`;
}

function relativeTo(key: string, entityPath: string): string {
  if (!key.startsWith(entityPath)) throw new Error(`lake key ${key} is not under ${entityPath}`);
  return key.slice(entityPath.length);
}
