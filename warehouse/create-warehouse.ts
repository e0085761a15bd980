import { ConfigError, type Logger, type WarehouseLocation } from '../core/index.js';
import { createSharedDuckDbWarehouse, duckDbDialect, type DuckDbS3Lake } from './duckdb/index.js';
import { createPostgresWarehouse, postgresDialect } from './postgres/index.js';
import { createSnowflakeWarehouse, snowflakeDialect, snowflakeSetupGuide } from './snowflake/index.js';
import type { PublicationNotice, SharedWarehouse, WarehouseDialect, WarehouseSetupGuide, WarehouseWait, WarehouseWaitEnd } from './warehouse.js';

/** The engines `GMP_WAREHOUSE_URL` and `gmp compile --target` accept. */
export const WAREHOUSE_TYPES = ['duckdb', 'snowflake', 'postgres'] as const;
export type WarehouseType = (typeof WAREHOUSE_TYPES)[number];

const DIALECTS: Record<WarehouseType, WarehouseDialect> = { duckdb: duckDbDialect, snowflake: snowflakeDialect, postgres: postgresDialect };

/** The SQL dialect of an engine (pure; loads no driver). */
export function dialectFor(type: WarehouseType): WarehouseDialect {
  return DIALECTS[type];
}

export interface OpenWarehouseOptions {
  logger?: Logger;
  /** DuckDB: how long to wait for another process to release the file. */
  waitMs?: number;
  /** DuckDB: told at once, then up to once a second, while another process holds the file (see SharedDuckDbOptions). */
  onWait?: (wait: WarehouseWait) => void | Promise<void>;
  onWaitEnd?: (end: WarehouseWaitEnd) => void;
  /** DuckDB: the S3 lake, read through httpfs when it is installed (otherwise the caller mirrors it). */
  s3Lake?: DuckDbS3Lake;
  /**
   * For readers (`gmp query`). DuckDB: the file opens read-only, or while a run holds it the
   * publication of the marts the last run made (`onSnapshot` says so). Snowflake: one read-only
   * statement per call (UsageError otherwise), run with the configured role.
   */
  readOnly?: boolean;
  onSnapshot?: (notice: PublicationNotice) => void;
  /** With `readOnly`, for SQL typed by people (the web console). DuckDB: no file or network access, configuration locked. */
  untrusted?: boolean;
}

/**
 * The warehouse `location` names, shared by the steps of a run (or, `readOnly`, by a reader's
 * statements). Opens nothing yet: DuckDB opens its file per use, Snowflake logs in on the first
 * statement. Throws ConfigError for a Snowflake location loaded without credentials.
 */
export function createSharedWarehouse(location: WarehouseLocation, options: OpenWarehouseOptions = {}): SharedWarehouse {
  if (location.type === 'duckdb') {
    return createSharedDuckDbWarehouse({
      path: location.path,
      waitMs: options.waitMs ?? 30 * 60 * 1000,
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.onWaitEnd ? { onWaitEnd: options.onWaitEnd } : {}),
      ...(options.s3Lake ? { s3Lake: options.s3Lake } : {}),
      ...(options.readOnly ? { readOnly: true } : {}),
      ...(options.onSnapshot ? { onSnapshot: options.onSnapshot } : {}),
      ...(options.untrusted ? { untrusted: true } : {}),
    });
  }
  if (location.type === 'postgres') {
    return createPostgresWarehouse({ url: location.url, ...(options.readOnly ? { readOnly: true } : {}) });
  }
  if (location.credentials === undefined) {
    throw new ConfigError('SNOWFLAKE_USER and a password or key are needed to connect to Snowflake', {
      hint: 'set SNOWFLAKE_USER and SNOWFLAKE_PASSWORD (or SNOWFLAKE_PRIVATE_KEY_PATH)',
    });
  }
  return createSnowflakeWarehouse({
    account: location.account,
    database: location.database,
    ...(location.schema ? { schema: location.schema } : {}),
    ...(location.warehouse ? { warehouse: location.warehouse } : {}),
    ...(location.role ? { role: location.role } : {}),
    credentials: location.credentials,
    statementTimeoutS: location.statementTimeoutS,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}

/** The target, worksheet preamble and notes of `gmp warehouse setup` for `location` (pure; no connection). */
export function warehouseSetupGuide(location: WarehouseLocation): WarehouseSetupGuide {
  if (location.type === 'snowflake') return snowflakeSetupGuide(location);
  if (location.type === 'postgres') {
    return {
      target: createPostgresWarehouse({ url: location.url }).describe(),
      preamble: [],
      notes: [
        `Run as a role that may create roles and grant on the database (an admin); gmp then builds as the URL's user, and BI tools log in as ${location.reader} (read-only).`,
        'The raw tables are loaded from the committed lake files by COPY after every ingestion commit.',
      ],
    };
  }
  return {
    target: `duckdb://${location.path}`,
    preamble: [],
    notes: ['DuckDB needs only its schemas: the raw views are rebuilt over the committed lake files after every ingestion commit.'],
  };
}
