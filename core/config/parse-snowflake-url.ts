import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { registerSecret } from '../redact.js';
import type { RawEnv, SnowflakeCredentials, SnowflakeLocation } from './config-schema.js';

// The driver accepts the same shape (one or more word groups joined by `.` or `-`).
const ACCOUNT = /^\w+([.-]\w+)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const URL_SHAPE = /^snowflake:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;
const QUERY_PARAMS = new Set(['warehouse', 'role']);
const SHAPE_HINT = 'use snowflake://<account>/<database>[/<schema>]?warehouse=<warehouse>&role=<role>, e.g. snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING';

export interface ParseSnowflakeOptions {
  /** False only to print setup SQL: missing credentials are then left out instead of rejected. */
  requireCredentials: boolean;
}

/**
 * `GMP_WAREHOUSE_URL=snowflake://…` plus the `SNOWFLAKE_*` variables. Throws ConfigError naming
 * the variable at fault (never its secret value): a malformed URL, credentials in the URL, a
 * missing user, neither or both of password and key pair.
 */
export function parseSnowflakeUrl(value: string, raw: Partial<RawEnv>, cwd: string, options: ParseSnowflakeOptions): SnowflakeLocation {
  const match = URL_SHAPE.exec(value);
  if (match === null) throw new ConfigError('GMP_WAREHOUSE_URL: not a valid snowflake:// URL', { hint: SHAPE_HINT });
  const [, authority = '', pathPart = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = decodeURIComponent(authority.slice(0, at));
    registerSecret(userInfo.slice(userInfo.indexOf(':') + 1));
    throw new ConfigError('GMP_WAREHOUSE_URL: credentials do not belong in the URL', {
      hint: 'remove user:password@ and set SNOWFLAKE_USER with SNOWFLAKE_PASSWORD (or SNOWFLAKE_PRIVATE_KEY_PATH)',
    });
  }
  const account = decodeURIComponent(authority);
  if (/snowflakecomputing\.(com|cn)$/i.test(account)) {
    throw new ConfigError(`GMP_WAREHOUSE_URL: "${account}" is a host name, not an account identifier`, {
      hint: `use the part before .snowflakecomputing.com, e.g. snowflake://${account.replace(/\.snowflakecomputing\.(com|cn)$/i, '')}/<database>`,
    });
  }
  if (!ACCOUNT.test(account)) {
    throw new ConfigError(`GMP_WAREHOUSE_URL: "${account}" is not a Snowflake account identifier`, {
      hint: 'use <orgname>-<account_name> (e.g. myorg-analytics) or a locator with its region (e.g. xy12345.eu-west-1)',
    });
  }
  const segments = pathPart.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segments.length === 0 || segments.length > 2) {
    throw new ConfigError('GMP_WAREHOUSE_URL: a snowflake URL names a database and optionally a schema', { hint: SHAPE_HINT });
  }
  const [database = '', schema] = segments;
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!QUERY_PARAMS.has(key)) throw new ConfigError(`GMP_WAREHOUSE_URL: unknown parameter "${key}"`, { hint: 'the parameters are warehouse and role' });
  }
  const warehouse = params.get('warehouse') ?? undefined;
  const role = params.get('role') ?? undefined;
  for (const [what, name] of [['database', database], ['schema', schema], ['warehouse', warehouse], ['role', role]] as const) {
    if (name !== undefined && !IDENTIFIER.test(name)) {
      throw new ConfigError(`GMP_WAREHOUSE_URL: ${what} "${name}" is not a plain Snowflake identifier`, {
        hint: 'use letters, digits, _ and $ (quoted identifiers are not supported)',
      });
    }
  }
  const location: SnowflakeLocation = {
    type: 'snowflake',
    account,
    database,
    statementTimeoutS: raw.SNOWFLAKE_STATEMENT_TIMEOUT_S ?? 3600,
    storageIntegration: raw.SNOWFLAKE_STORAGE_INTEGRATION ?? 'gmp_lake',
  };
  if (schema !== undefined) location.schema = schema;
  if (warehouse !== undefined) location.warehouse = warehouse;
  if (role !== undefined) location.role = role;
  if (raw.SNOWFLAKE_STORAGE_AWS_ROLE_ARN !== undefined) location.storageAwsRoleArn = raw.SNOWFLAKE_STORAGE_AWS_ROLE_ARN;
  const credentials = snowflakeCredentials(raw, cwd, options.requireCredentials);
  if (credentials !== undefined) location.credentials = credentials;
  return location;
}

function snowflakeCredentials(raw: Partial<RawEnv>, cwd: string, required: boolean): SnowflakeCredentials | undefined {
  const { SNOWFLAKE_USER: user, SNOWFLAKE_PASSWORD: password, SNOWFLAKE_PRIVATE_KEY: inlineKey, SNOWFLAKE_PRIVATE_KEY_PATH: keyPath } = raw;
  const passphrase = raw.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE;
  if (inlineKey !== undefined && keyPath !== undefined) {
    throw new ConfigError('SNOWFLAKE_PRIVATE_KEY and SNOWFLAKE_PRIVATE_KEY_PATH are both set', { hint: 'keep one of them' });
  }
  const hasKey = inlineKey !== undefined || keyPath !== undefined;
  if (password !== undefined && hasKey) {
    throw new ConfigError('SNOWFLAKE_PASSWORD and a private key are both set', {
      hint: 'use either SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH / SNOWFLAKE_PRIVATE_KEY, not both',
    });
  }
  if (user === undefined) {
    if (!required) return undefined;
    throw new ConfigError('SNOWFLAKE_USER is not set (GMP_WAREHOUSE_URL points at Snowflake)', {
      hint: 'set SNOWFLAKE_USER and SNOWFLAKE_PASSWORD, or SNOWFLAKE_USER and SNOWFLAKE_PRIVATE_KEY_PATH for key-pair authentication',
    });
  }
  if (password !== undefined) return { user, type: 'password', password };
  if (inlineKey !== undefined) {
    // Secret stores often flatten the PEM onto one line with literal \n.
    const privateKey = inlineKey.replace(/\\n/g, '\n');
    registerSecret(privateKey);
    for (const line of privateKey.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) registerSecret(line);
    return { user, type: 'key-pair', privateKey, ...(passphrase !== undefined ? { passphrase } : {}) };
  }
  if (keyPath !== undefined) {
    return { user, type: 'key-pair', privateKeyPath: path.resolve(cwd, keyPath), ...(passphrase !== undefined ? { passphrase } : {}) };
  }
  if (!required) return undefined;
  throw new ConfigError('SNOWFLAKE_PASSWORD is not set (nor SNOWFLAKE_PRIVATE_KEY_PATH for key-pair authentication)', {
    hint: 'set SNOWFLAKE_PASSWORD, or SNOWFLAKE_PRIVATE_KEY_PATH (and SNOWFLAKE_PRIVATE_KEY_PASSPHRASE if the key is encrypted)',
  });
}
