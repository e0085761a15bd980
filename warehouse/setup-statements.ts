import { ConfigError, postgresTarget, type WarehouseLocation } from '../core/index.js';
import { duckDbDialect } from './duckdb/index.js';
import { postgresSetupStatements } from './postgres/index.js';
import { quoteSnowflakeIdent, snowflakeSetupStatements, type SetupStatement } from './snowflake/index.js';
import type { LakeEntity } from './warehouse.js';

export interface LakeSetup {
  /** The lake root as a URL, `s3://bucket/prefix/`, when the lake is on S3. */
  url?: string;
  /** Every raw entity the pipeline writes. */
  entities: readonly LakeEntity[];
}

const SCHEMAS = ['raw', 'staging', 'marts', 'checks'];

/**
 * The idempotent statements that prepare `location` for the pipeline, in order (pure; no
 * connection). DuckDB needs only its schemas: its raw views are rebuilt over the committed lake
 * files after every commit. Snowflake needs the lake plumbing (see snowflake-lake-sql.ts).
 */
export function warehouseSetupStatements(location: WarehouseLocation, lake: LakeSetup): SetupStatement[] {
  if (location.type === 'duckdb') {
    return SCHEMAS.map((schema) => ({ purpose: `schema ${schema}`, sql: duckDbDialect.createSchema(schema) }));
  }
  if (location.type === 'postgres') {
    // The transformer is the URL's user; BI tools read the marts and the typed staging views.
    const target = postgresTarget(location.url);
    return postgresSetupStatements({
      database: target.database,
      transformer: target.user,
      reader: location.reader,
      ...(location.readerPassword !== undefined ? { readerPassword: location.readerPassword } : {}),
      schemas: SCHEMAS,
      readerSchemas: ['staging', 'marts'],
      readerStatementTimeoutS: location.readerStatementTimeoutS,
    });
  }
  if (lake.url === undefined || !lake.url.startsWith('s3://')) {
    throw new ConfigError('GMP_LAKE_URL: Snowflake reads the lake from S3', { hint: 'set GMP_LAKE_URL=s3://bucket/prefix' });
  }
  return snowflakeSetupStatements({
    lakeUrl: lake.url,
    storageIntegration: location.storageIntegration,
    ...(location.storageAwsRoleArn !== undefined ? { storageAwsRoleArn: location.storageAwsRoleArn } : {}),
    entities: lake.entities,
  });
}

/** What the IAM role's trust policy must name so Snowflake can assume it (not secrets). */
export interface LakeAccess {
  iamUserArn: string;
  externalId: string;
}

/** The statement describing the storage integration gmp created, or undefined when it creates none. */
export function lakeAccessQuery(location: WarehouseLocation): string | undefined {
  if (location.type !== 'snowflake' || location.storageAwsRoleArn === undefined) return undefined;
  return `DESC STORAGE INTEGRATION ${quoteSnowflakeIdent(location.storageIntegration)}`;
}

/** Reads STORAGE_AWS_IAM_USER_ARN and STORAGE_AWS_EXTERNAL_ID from `lakeAccessQuery`'s rows. */
export function lakeAccessFrom(rows: readonly Record<string, unknown>[]): LakeAccess | undefined {
  const value = (name: string): string | undefined => {
    const row = rows.find((r) => r.property === name);
    return row === undefined ? undefined : String(row.property_value);
  };
  const iamUserArn = value('STORAGE_AWS_IAM_USER_ARN');
  const externalId = value('STORAGE_AWS_EXTERNAL_ID');
  return iamUserArn === undefined || externalId === undefined ? undefined : { iamUserArn, externalId };
}
