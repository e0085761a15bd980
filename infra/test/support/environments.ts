import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Raw environment entries for tests, as an operator would write them in
 * config/environments.json. `full` uses every optional feature; `minimal` none of them.
 */
export function fullEnvironment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'full',
    account: '123456789012',
    region: 'eu-west-1',
    lake: { bucketNamePrefix: 'gmp-lake', prefix: 'lake', encryption: 'kms', noncurrentVersionExpirationDays: 45, abortIncompleteMultipartUploadDays: 3 },
    warehouse: { url: 'snowflake://myorg-acct/GMP?warehouse=WH&role=GMP', user: 'GMP_FULL', auth: 'password', storageIntegration: 'gmp_full_lake' },
    snowflake: {
      principalArn: 'arn:aws:iam::999999999999:user/abc1-s-v2st0000',
      externalId: 'MYACCOUNT_SFCRole=2_abcdefGHIJKL=',
    },
    schedule: { enabled: true },
    logRetentionDays: 180,
    alarmEmail: 'oncall@example.com',
    github: { repo: 'example-org/game-market-pipeline', branch: 'release' },
    ...overrides,
  };
}

export function minimalEnvironment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'minimal',
    account: '210987654321',
    region: 'us-east-2',
    lake: { bucketNamePrefix: 'lakehouse', prefix: 'gmp/data', encryption: 's3-managed' },
    warehouse: { url: 'snowflake://xy12345.us-east-2/GMP/STAGING', user: 'gmp_minimal', auth: 'key-pair' },
    schedule: { enabled: false },
    ...overrides,
  };
}

/**
 * A Postgres-warehouse environment: minimal otherwise, RDS instance with every default unless
 * `warehouse` overrides it.
 */
export function postgresEnvironment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { warehouse, ...rest } = overrides;
  return minimalEnvironment({ name: 'pg', warehouse: { engine: 'postgres', ...(warehouse as object | undefined) }, ...rest });
}

/** The environments of config/environments.postgres-example.json, as shipped. */
export function postgresExampleEnvironments(): Record<string, unknown>[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'environments.postgres-example.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { environments: Record<string, unknown>[] }).environments;
}
