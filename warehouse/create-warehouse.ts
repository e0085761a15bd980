import { ConfigError, type Logger, type WarehouseLocation } from '../core/index.js';
import { createSharedDuckDbWarehouse, duckDbDialect, type DuckDbS3Lake } from './duckdb/index.js';
import { createSnowflakeWarehouse, snowflakeDialect } from './snowflake/index.js';
import type { SharedWarehouse, WarehouseDialect } from './warehouse.js';

/** The engines `GMP_WAREHOUSE_URL` and `gmp compile --target` accept. */
export const WAREHOUSE_TYPES = ['duckdb', 'snowflake'] as const;
export type WarehouseType = (typeof WAREHOUSE_TYPES)[number];

const DIALECTS: Record<WarehouseType, WarehouseDialect> = { duckdb: duckDbDialect, snowflake: snowflakeDialect };

/** The SQL dialect of an engine (pure; loads no driver). */
export function dialectFor(type: WarehouseType): WarehouseDialect {
  return DIALECTS[type];
}

export interface OpenWarehouseOptions {
  logger?: Logger;
  /** DuckDB: how long to wait for another process to release the file. */
  waitMs?: number;
  onWait?: (waitedMs: number) => void;
  /** DuckDB: the S3 lake, read through httpfs when it is installed (otherwise the caller mirrors it). */
  s3Lake?: DuckDbS3Lake;
}

/**
 * The warehouse `location` names, shared by the steps of a run. Opens nothing yet: DuckDB opens
 * its file per use, Snowflake logs in on the first statement. Throws ConfigError for a Snowflake
 * location loaded without credentials.
 */
export function createSharedWarehouse(location: WarehouseLocation, options: OpenWarehouseOptions = {}): SharedWarehouse {
  if (location.type === 'duckdb') {
    return createSharedDuckDbWarehouse({
      path: location.path,
      waitMs: options.waitMs ?? 30 * 60 * 1000,
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.s3Lake ? { s3Lake: options.s3Lake } : {}),
    });
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
  });
}
