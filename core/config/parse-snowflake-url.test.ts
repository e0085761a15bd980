import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { clearSecrets, redactText } from '../redact.js';
import { loadConfig } from './load-config.js';
import { warehouseNamespace } from './warehouse-namespace.js';

afterEach(() => clearSecrets());
const cwd = () => mkdtempSync(path.join(tmpdir(), 'gmp-sf-config-'));
const URL = 'snowflake://xy12345.eu-west-1/GAME_MARKET/ANALYTICS?warehouse=TRANSFORMING&role=GMP_ROLE';
const base = { GMP_WAREHOUSE_URL: URL, GMP_LAKE_URL: 's3://gmp-lake/prod', SNOWFLAKE_USER: 'gmp_svc' };

describe('GMP_WAREHOUSE_URL=snowflake://…', () => {
  it('parses account, database, schema, warehouse and role, with a password login', () => {
    const config = loadConfig({ ...base, SNOWFLAKE_PASSWORD: 'pw-canary-1234' }, cwd());
    expect(config.warehouse).toEqual({
      type: 'snowflake',
      account: 'xy12345.eu-west-1',
      database: 'GAME_MARKET',
      schema: 'ANALYTICS',
      warehouse: 'TRANSFORMING',
      role: 'GMP_ROLE',
      credentials: { user: 'gmp_svc', type: 'password', password: 'pw-canary-1234' },
      statementTimeoutS: 3600,
      storageIntegration: 'gmp_lake',
    });
    expect(redactText('login with pw-canary-1234')).toBe('login with [REDACTED]');
    expect(warehouseNamespace(config.warehouse)).toBe('snowflake://xy12345.eu-west-1');
  });

  it('accepts organization-account identifiers and a URL without schema or parameters', () => {
    const config = loadConfig({ ...base, GMP_WAREHOUSE_URL: 'snowflake://myorg-analytics/GAME_MARKET', SNOWFLAKE_PASSWORD: 'x1234' }, cwd());
    expect(config.warehouse).toMatchObject({ type: 'snowflake', account: 'myorg-analytics', database: 'GAME_MARKET' });
    expect(config.warehouse).not.toHaveProperty('schema');
    expect(config.warehouse).not.toHaveProperty('warehouse');
  });

  it('takes a key pair from a file (resolved against cwd) or inline (\\n escapes, registered as secret)', () => {
    const dir = cwd();
    const fromFile = loadConfig({ ...base, SNOWFLAKE_PRIVATE_KEY_PATH: 'keys/gmp.p8', SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'pass-phrase-9' }, dir);
    expect(fromFile.warehouse).toMatchObject({
      credentials: { user: 'gmp_svc', type: 'key-pair', privateKeyPath: path.join(dir, 'keys', 'gmp.p8'), passphrase: 'pass-phrase-9' },
    });
    expect(redactText('pass-phrase-9')).toBe('[REDACTED]');
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
    const inline = loadConfig({ ...base, SNOWFLAKE_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----` }, cwd());
    expect(inline.warehouse).toMatchObject({ credentials: { type: 'key-pair', privateKey: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----` } });
    expect(redactText(`line: ${body}`)).toBe('line: [REDACTED]');
  });

  it.each([
    [{ SNOWFLAKE_USER: undefined, SNOWFLAKE_PASSWORD: 'x1234' }, /SNOWFLAKE_USER is not set/],
    [{}, /SNOWFLAKE_PASSWORD is not set \(nor SNOWFLAKE_PRIVATE_KEY_PATH/],
    [{ SNOWFLAKE_PASSWORD: 'x1234', SNOWFLAKE_PRIVATE_KEY_PATH: 'k.p8' }, /SNOWFLAKE_PASSWORD and a private key are both set/],
    [{ SNOWFLAKE_PRIVATE_KEY: 'pem-text', SNOWFLAKE_PRIVATE_KEY_PATH: 'k.p8' }, /SNOWFLAKE_PRIVATE_KEY and SNOWFLAKE_PRIVATE_KEY_PATH are both set/],
    [{ GMP_LAKE_URL: './lake', SNOWFLAKE_PASSWORD: 'x1234' }, /GMP_LAKE_URL: Snowflake reads the lake from S3/],
    [{ GMP_WAREHOUSE_URL: 'snowflake://xy12345.snowflakecomputing.com/DB', SNOWFLAKE_PASSWORD: 'x1234' }, /is a host name, not an account identifier/],
    [{ GMP_WAREHOUSE_URL: 'snowflake://xy12345', SNOWFLAKE_PASSWORD: 'x1234' }, /names a database and optionally a schema/],
    [{ GMP_WAREHOUSE_URL: 'snowflake://xy12345/DB?wh=X', SNOWFLAKE_PASSWORD: 'x1234' }, /unknown parameter "wh"/],
    [{ GMP_WAREHOUSE_URL: 'snowflake://xy12345/"My DB"', SNOWFLAKE_PASSWORD: 'x1234' }, /database ""My DB"" is not a plain Snowflake identifier/],
    [{ SNOWFLAKE_PASSWORD: 'x1234', SNOWFLAKE_STORAGE_AWS_ROLE_ARN: 'my-role' }, /SNOWFLAKE_STORAGE_AWS_ROLE_ARN: expected arn:aws:iam/],
  ])('rejects %o with a ConfigError naming the variable', (change, message) => {
    const run = () => loadConfig({ ...base, ...change } as NodeJS.ProcessEnv, cwd());
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('rejects credentials in the URL without echoing the password', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, GMP_WAREHOUSE_URL: 'snowflake://gmp:url-canary-pw@xy12345/DB' }, cwd());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(JSON.stringify((error as ConfigError).toJSON())).not.toContain('url-canary-pw');
    expect((error as Error).message).toMatch(/credentials do not belong in the URL/);
  });

  it('loads without credentials when the caller only prints SQL', () => {
    const config = loadConfig({ GMP_WAREHOUSE_URL: URL, GMP_LAKE_URL: 's3://gmp-lake/prod' }, cwd(), { requireWarehouseCredentials: false });
    expect(config.warehouse).toMatchObject({ type: 'snowflake', database: 'GAME_MARKET' });
    expect(config.warehouse).not.toHaveProperty('credentials');
  });

  it('reads the storage integration, its role ARN and the statement timeout', () => {
    const config = loadConfig(
      {
        ...base,
        SNOWFLAKE_PASSWORD: 'x1234',
        SNOWFLAKE_STORAGE_INTEGRATION: 'corp_lake',
        SNOWFLAKE_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gmp-snowflake',
        SNOWFLAKE_STATEMENT_TIMEOUT_S: '900',
      },
      cwd(),
    );
    expect(config.warehouse).toMatchObject({
      storageIntegration: 'corp_lake',
      storageAwsRoleArn: 'arn:aws:iam::123456789012:role/gmp-snowflake',
      statementTimeoutS: 900,
    });
  });

  it('ignores SNOWFLAKE_* variables when the warehouse is DuckDB', () => {
    const config = loadConfig({ SNOWFLAKE_USER: 'u', SNOWFLAKE_PASSWORD: 'x1234' }, cwd());
    expect(config.warehouse.type).toBe('duckdb');
  });
});
