import { quoteIdent, quoteLiteral, quoteRelation } from './snowflake-identifiers.js';

/**
 * How Snowflake reads the lake (pure SQL text):
 *
 *   storage integration → stage `raw.gmp_lake` (the lake prefix) → one external table per raw
 *   entity, `raw.<source>_<entity>__lake`, AUTO_REFRESH = FALSE, whose file list gmp alone keeps
 *   with ADD FILES / REMOVE FILES → the view `raw.<source>_<entity>`, which shows only the rows of
 *   the committed run of each partition, listed in `raw.gmp_committed_partitions`.
 *
 * After a commit gmp adds the run's files (invisible: the view does not name the run yet), then
 * MERGEs the partition's new run into `raw.gmp_committed_partitions` (the atomic switch; a row
 * only moves to a higher manifest `generation`, which the lake serializes, so a process with a
 * stale lake listing cannot undo a newer commit and writers' clocks play no part), then removes
 * the superseded files. A crash at any point leaves the previous
 * version visible.
 */
export const LAKE_STAGE = 'raw.gmp_lake';
export const LAKE_FILE_FORMAT = 'raw.gmp_jsonl';
export const COMMITTED_PARTITIONS = 'raw.gmp_committed_partitions';
/** Files per ADD/REMOVE FILES statement and rows per MERGE, to keep statements a sane size. */
const CHUNK = 500;

export interface SnowflakeLakePlan {
  /** The lake root as the stage sees it: `s3://bucket/prefix/`. */
  lakeUrl: string;
  storageIntegration: string;
  /** Set: the storage integration is created (and its allowed location kept up to date). */
  storageAwsRoleArn?: string;
  /** The raw entities: `raw.rawg_games` over the lake folder `raw/rawg/games/`. */
  entities: readonly { relation: string; entityPath: string }[];
}

/** One setup statement and why it is there (printed as a comment by `gmp warehouse setup --print`). */
export interface SetupStatement {
  purpose: string;
  sql: string;
  /** What `--print` shows when `sql` holds a secret (a password as '***'); absent: `sql` itself. */
  printable?: string;
}

/** `raw.rawg_games` → `raw.rawg_games__lake`, the external table under the view. */
export function lakeTableOf(relation: string): string {
  return `${relation}__lake`;
}

/**
 * Every object the pipeline needs, in dependency order. Idempotent: objects are created if missing
 * and their settings re-applied; nothing that holds data or registered files is replaced.
 */
export function snowflakeSetupStatements(plan: SnowflakeLakePlan): SetupStatement[] {
  const integration = quoteIdent(plan.storageIntegration);
  const location = quoteLiteral(plan.lakeUrl);
  const out: SetupStatement[] = ['raw', 'staging', 'marts', 'checks'].map((schema) => ({
    purpose: `schema ${schema}`,
    sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  }));
  if (plan.storageAwsRoleArn !== undefined) {
    // Never CREATE OR REPLACE: a new integration gets a new external ID, breaking the IAM trust policy.
    out.push(
      {
        purpose: 'storage integration: Snowflake assumes the IAM role to read the lake prefix (needs ACCOUNTADMIN or CREATE INTEGRATION)',
        sql:
          `CREATE STORAGE INTEGRATION IF NOT EXISTS ${integration}\n  TYPE = EXTERNAL_STAGE\n  STORAGE_PROVIDER = 'S3'\n  ENABLED = TRUE\n` +
          `  STORAGE_AWS_ROLE_ARN = ${quoteLiteral(plan.storageAwsRoleArn)}\n  STORAGE_ALLOWED_LOCATIONS = (${location})`,
      },
      {
        purpose: 'keep the allowed location in step with GMP_LAKE_URL',
        sql: `ALTER STORAGE INTEGRATION ${integration} SET\n  ENABLED = TRUE\n  STORAGE_ALLOWED_LOCATIONS = (${location})`,
      },
    );
  }
  const format = 'TYPE = JSON COMPRESSION = GZIP';
  out.push(
    { purpose: 'file format of the lake files (gzipped JSON lines)', sql: `CREATE FILE FORMAT IF NOT EXISTS ${quoteRelation(LAKE_FILE_FORMAT)} ${format}` },
    { purpose: 'keep the file format options current', sql: `ALTER FILE FORMAT ${quoteRelation(LAKE_FILE_FORMAT)} SET COMPRESSION = GZIP` },
    {
      purpose: 'external stage over the lake prefix',
      sql:
        `CREATE STAGE IF NOT EXISTS ${quoteRelation(LAKE_STAGE)}\n  URL = ${location}\n  STORAGE_INTEGRATION = ${integration}\n` +
        `  FILE_FORMAT = (FORMAT_NAME = ${quoteLiteral(LAKE_FILE_FORMAT)})`,
    },
    {
      purpose: 'keep the stage on GMP_LAKE_URL and the storage integration',
      sql:
        `ALTER STAGE ${quoteRelation(LAKE_STAGE)} SET\n  URL = ${location}\n  STORAGE_INTEGRATION = ${integration}\n` +
        `  FILE_FORMAT = (FORMAT_NAME = ${quoteLiteral(LAKE_FILE_FORMAT)})`,
    },
    {
      purpose: 'the committed run of every partition (the raw views show only these)',
      sql:
        `CREATE TABLE IF NOT EXISTS ${quoteRelation(COMMITTED_PARTITIONS)} (\n  relation VARCHAR NOT NULL,\n  dt DATE NOT NULL,\n` +
        `  run_id VARCHAR NOT NULL,\n  committed_at TIMESTAMP_TZ NOT NULL,\n  generation NUMBER(38, 0)\n)\n` +
        `COMMENT = 'gmp: the committed run of each partition, kept by gmp after each lake commit'`,
    },
    {
      // Nullable, no default: rows of a table created before generations existed read as 0 (COALESCE).
      purpose: 'the manifest generation that orders commits (added to tables created before it existed)',
      sql: `ALTER TABLE ${quoteRelation(COMMITTED_PARTITIONS)} ADD COLUMN IF NOT EXISTS generation NUMBER(38, 0)`,
    },
  );
  for (const entity of plan.entities) {
    out.push(
      { purpose: `lake files of ${entity.relation} (registered by gmp after each commit)`, sql: externalTableDdl(entity.relation, entity.entityPath) },
      { purpose: `${entity.relation}: the committed records, with dt and run_id`, sql: committedView(entity.relation) },
    );
  }
  return out;
}

/**
 * The external table of one entity. `dt` and `run_id` come from the file path (`…/dt=D/run=R/…`),
 * so a record can never claim another partition; `value` is Snowflake's implicit VARIANT column.
 * AUTO_REFRESH and REFRESH_ON_CREATE are off, so the table knows only the files gmp adds: never
 * run ALTER EXTERNAL TABLE … REFRESH on it (that would register every file under the folder,
 * uncommitted and superseded runs included). PATTERN keeps invalid-record files out regardless.
 */
export function externalTableDdl(relation: string, entityPath: string): string {
  // '/' || … keeps the parse right whether METADATA$FILENAME starts at the stage or the table location.
  const part = (key: string) => `SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/${key}=', -1), '/', 1)`;
  return (
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${quoteRelation(lakeTableOf(relation))} (\n` +
    `  dt DATE AS (TO_DATE(${part('dt')}, 'YYYY-MM-DD')),\n` +
    `  run_id VARCHAR AS (${part('run')})\n)\n` +
    `PARTITION BY (dt, run_id)\n` +
    `LOCATION = @${quoteRelation(LAKE_STAGE)}/${entityPath}\n` +
    `REFRESH_ON_CREATE = FALSE\nAUTO_REFRESH = FALSE\n` +
    `PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'\n` +
    `FILE_FORMAT = (FORMAT_NAME = ${quoteLiteral(LAKE_FILE_FORMAT)})\n` +
    `COMMENT = ${quoteLiteral(`gmp: files added and removed by gmp only; query ${relation}`)}`
  );
}

/** `raw.rawg_games`: the rows of the committed run of each partition, nothing else. */
export function committedView(relation: string): string {
  return (
    `CREATE OR REPLACE VIEW ${quoteRelation(relation)} COPY GRANTS AS\n` +
    `SELECT f.dt, f.run_id, f.value\nFROM ${quoteRelation(lakeTableOf(relation))} AS f\n` +
    `JOIN ${quoteRelation(COMMITTED_PARTITIONS)} AS c\n` +
    `  ON c.relation = ${quoteLiteral(relation)} AND c.dt = f.dt AND c.run_id = f.run_id`
  );
}

/** Snowflake's clock, in epoch milliseconds (registration times are compared against it). */
export const NOW_MS_QUERY = 'SELECT DATE_PART(epoch_millisecond, CURRENT_TIMESTAMP()) AS now_ms';

/** The files the external table knows (FILE_NAME is the path in the stage) and when each was registered. */
export function registeredFilesQuery(relation: string): string {
  return (
    `SELECT file_name, DATE_PART(epoch_millisecond, registered_on) AS registered_ms ` +
    `FROM TABLE(information_schema.external_table_files(table_name => ${quoteLiteral(lakeTableOf(relation))}))`
  );
}

/** The committed run of each partition of `relation`, as the raw view sees it now, with its generation. */
export function committedPartitionsQuery(relation: string): string {
  return (
    `SELECT TO_VARCHAR(dt, 'YYYY-MM-DD') AS dt, run_id, COALESCE(generation, 0) AS generation ` +
    `FROM ${quoteRelation(COMMITTED_PARTITIONS)} WHERE relation = ${quoteLiteral(relation)}`
  );
}

/** Registers `paths` (relative to the table's location, i.e. to the entity folder). */
export function addFilesStatements(relation: string, paths: readonly string[]): string[] {
  return chunks(paths).map((c) => `ALTER EXTERNAL TABLE ${quoteRelation(lakeTableOf(relation))} ADD FILES (${c.map(quoteLiteral).join(', ')})`);
}

/** Unregisters `paths` (relative to the table's location); the files themselves are untouched. */
export function removeFilesStatements(relation: string, paths: readonly string[]): string[] {
  return chunks(paths).map((c) => `ALTER EXTERNAL TABLE ${quoteRelation(lakeTableOf(relation))} REMOVE FILES (${c.map(quoteLiteral).join(', ')})`);
}

/**
 * Makes each partition's run the committed one, each MERGE atomic: a partition switches only to a
 * higher manifest generation (the lake's own order of commits), so replaying an older listing
 * changes nothing. Equal generations of different runs happen only between manifests written
 * before generations existed (both 0): the greater run id wins, as `committedOrder` decides.
 */
export function mergeCommittedStatements(
  relation: string,
  partitions: readonly { dt: string; runId: string; committedAt: string; generation?: number }[],
): string[] {
  const rel = quoteLiteral(relation);
  const generation = (p: { generation?: number }): number => {
    const g = p.generation ?? 0;
    if (!Number.isSafeInteger(g) || g < 0) throw new Error(`manifest generation must be a non-negative integer, got ${g}`);
    return g;
  };
  return chunks(partitions).map(
    (c) =>
      `MERGE INTO ${quoteRelation(COMMITTED_PARTITIONS)} AS c USING (\n` +
      `  SELECT column1 AS relation, column2 AS dt, column3 AS run_id, column4 AS committed_at, column5 AS generation FROM VALUES\n` +
      c
        .map((p) => `    (${rel}, DATE ${quoteLiteral(p.dt)}, ${quoteLiteral(p.runId)}, ${quoteLiteral(p.committedAt)}::TIMESTAMP_TZ, ${generation(p)})`)
        .join(',\n') +
      `\n) AS m ON c.relation = m.relation AND c.dt = m.dt\n` +
      `WHEN MATCHED AND (m.generation > COALESCE(c.generation, 0) OR (m.generation = COALESCE(c.generation, 0) AND m.run_id > c.run_id))\n` +
      `  THEN UPDATE SET run_id = m.run_id, committed_at = m.committed_at, generation = m.generation\n` +
      `WHEN NOT MATCHED THEN INSERT (relation, dt, run_id, committed_at, generation) VALUES (m.relation, m.dt, m.run_id, m.committed_at, m.generation)`,
  );
}

/**
 * The MERGE's order of two commits of one partition, for the TypeScript side: negative when `a`
 * was committed before `b`, 0 for the same run. Generation first; the run id only breaks ties.
 */
export function committedOrder(a: { runId: string; generation?: number }, b: { runId: string; generation?: number }): number {
  const byGeneration = (a.generation ?? 0) - (b.generation ?? 0);
  if (byGeneration !== 0) return byGeneration;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
