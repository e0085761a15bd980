import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import { registerSecret } from '../redact.js';
import {
  SECRET_VARIABLES,
  envSchema,
  resolveHome,
  type Config,
  type LakeLocation,
  type RawEnv,
  type StateLocation,
  type WarehouseLocation,
} from './config-schema.js';
import { parseSnowflakeUrl } from './parse-snowflake-url.js';
import { PLAIN_ENV, plainEnv } from './plain-env.js';

const KNOWN = new Set(Object.keys(PLAIN_ENV));

export interface LoadConfigOptions {
  /**
   * False lets a Snowflake warehouse load without SNOWFLAKE_USER and a password or key (to print
   * the setup SQL, which needs no login). Default true.
   */
  requireWarehouseCredentials?: boolean;
}

/**
 * Reads `.env` in `cwd` (if any) under the process environment (the environment wins), registers
 * secrets for redaction before anything else happens, and validates. Throws ConfigError naming the
 * variable, the problem and the fix; never includes a secret value.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string, options: LoadConfigOptions = {}): Config {
  const fromFile = readDotEnv(cwd);
  const merged: Record<string, string> = {};
  for (const source of [fromFile, env]) {
    for (const [k, v] of Object.entries(source)) {
      // An empty value means "unset", as in most dotenv tooling.
      if (KNOWN.has(k) && v !== undefined && v !== '') merged[k] = v;
    }
  }
  for (const name of SECRET_VARIABLES) registerSecret(merged[name]);

  let raw = plainEnv(merged);
  if (raw === undefined) {
    const parsed = envSchema().safeParse(merged);
    if (!parsed.success) throw configErrorFrom(parsed.error);
    raw = parsed.data;
  }
  // The web UI's settings page says whether the SQL console's access came from here or is the default.
  return { ...toConfig(raw, cwd, options.requireWarehouseCredentials ?? true), sqlConsoleSource: merged.GMP_SQL_CONSOLE === undefined ? 'default' : 'environment' };
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}`, { cause, hint: 'fix the .env syntax (NAME=value per line)' });
  }
}

function configErrorFrom(error: z.ZodError): ConfigError {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const secret = (SECRET_VARIABLES as readonly string[]).includes(name);
    return `${name}: ${secret ? 'invalid value' : issue.message}`;
  });
  return new ConfigError(`invalid configuration: ${lines.join('; ')}`, {
    hint: 'fix the variable in your environment or .env (see .env.example)',
    context: { variables: error.issues.map((i) => String(i.path[0])) },
  });
}

function toConfig(raw: RawEnv, cwd: string, requireWarehouseCredentials: boolean): Config {
  const home = resolveHome(cwd, raw.GMP_HOME);
  // A password in the OpenLineage URL is a secret too.
  if (raw.OPENLINEAGE_URL !== undefined) registerSecret(decodeURIComponent(new URL(raw.OPENLINEAGE_URL).password));
  if (raw.MLFLOW_TRACKING_URI !== undefined) registerSecret(decodeURIComponent(new URL(raw.MLFLOW_TRACKING_URI).password));
  if (raw.GMP_HOT_URL !== undefined) registerSecret(decodeURIComponent(new URL(raw.GMP_HOT_URL).password));
  const lake = parseLakeUrl(raw.GMP_LAKE_URL ?? path.join(home, 'lake'), raw, cwd);
  const warehouse = parseWarehouseUrl(raw.GMP_WAREHOUSE_URL ?? path.join(home, 'warehouse.duckdb'), raw, cwd, requireWarehouseCredentials);
  if (warehouse.type === 'snowflake' && lake.type !== 's3') {
    throw new ConfigError('GMP_LAKE_URL: Snowflake reads the lake from S3, but the lake is a local folder', {
      hint: 'set GMP_LAKE_URL=s3://bucket/prefix (the bucket the storage integration may read)',
    });
  }
  return {
    home,
    ...(raw.GMP_MODELS_DIR ? { modelsDir: path.resolve(cwd, raw.GMP_MODELS_DIR) } : {}),
    ...(raw.GMP_DASHBOARDS_DIR ? { dashboardsDir: path.resolve(cwd, raw.GMP_DASHBOARDS_DIR) } : {}),
    ...(raw.GMP_CHROMIUM ? { chromium: raw.GMP_CHROMIUM } : {}),
    ...(raw.GMP_HOT_URL ? { hotUrl: raw.GMP_HOT_URL } : {}),
    ...(raw.GMP_COLLECT_WRITE_KEY ? { collectWriteKey: raw.GMP_COLLECT_WRITE_KEY } : {}),
    ...(raw.GMP_COLLECTOR_URL ? { collectorUrl: raw.GMP_COLLECTOR_URL.replace(/\/+$/, '') } : {}),
    ...(raw.GMP_ALERTS_WEBHOOK_URL ? { alertsWebhookUrl: raw.GMP_ALERTS_WEBHOOK_URL } : {}),
    ...(raw.GMP_ALERTS_FILE ? { alertsFile: path.resolve(cwd, raw.GMP_ALERTS_FILE) } : {}),
    collectRate: raw.GMP_COLLECT_RATE,
    eventsCommitSeconds: raw.GMP_EVENTS_COMMIT_SECONDS,
    eventsLateWindowDays: raw.GMP_EVENTS_LATE_DAYS,
    eventsCompactAfterHours: raw.GMP_EVENTS_COMPACT_AFTER_HOURS,
    rawg: {
      apiKey: raw.RAWG_API_KEY,
      baseUrl: raw.RAWG_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: raw.RAWG_TIMEOUT_MS,
      maxRetries: raw.RAWG_MAX_RETRIES,
      backoff: { baseMs: raw.RAWG_BACKOFF_BASE_MS, maxMs: Math.max(raw.RAWG_BACKOFF_BASE_MS, raw.RAWG_BACKOFF_MAX_MS) },
      requestsPerSecond: raw.RAWG_REQUESTS_PER_SECOND,
      concurrency: raw.RAWG_CONCURRENCY,
      snapshotMaxPages: raw.RAWG_SNAPSHOT_MAX_PAGES,
      budget: raw.RAWG_BUDGET_PER_DAY === undefined ? { perMonth: raw.RAWG_BUDGET_PER_MONTH } : { perMonth: raw.RAWG_BUDGET_PER_MONTH, perDay: raw.RAWG_BUDGET_PER_DAY },
    },
    lake,
    warehouse,
    state: parseStateUrl(raw.GMP_STATE_URL ?? path.join(home, 'state.sqlite'), cwd),
    logLevel: raw.GMP_LOG_LEVEL,
    sqlConsole: raw.GMP_SQL_CONSOLE,
    openLineage: {
      ...(raw.OPENLINEAGE_URL !== undefined ? { url: raw.OPENLINEAGE_URL.replace(/\/+$/, '') } : {}),
      ...(raw.OPENLINEAGE_API_KEY !== undefined ? { apiKey: raw.OPENLINEAGE_API_KEY } : {}),
    },
    ml: {
      minRows: raw.GMP_ML_MIN_ROWS,
      ...(raw.MLFLOW_TRACKING_URI !== undefined ? { mlflowTrackingUri: raw.MLFLOW_TRACKING_URI.replace(/\/+$/, '') } : {}),
      ...(raw.MLFLOW_TRACKING_TOKEN !== undefined ? { mlflowToken: raw.MLFLOW_TRACKING_TOKEN } : {}),
      ...(raw.MLFLOW_TRACKING_USERNAME !== undefined ? { mlflowUsername: raw.MLFLOW_TRACKING_USERNAME } : {}),
      ...(raw.MLFLOW_TRACKING_PASSWORD !== undefined ? { mlflowPassword: raw.MLFLOW_TRACKING_PASSWORD } : {}),
      ...(raw.GMP_XGBOOST_LIBRARY !== undefined ? { xgboostLibrary: raw.GMP_XGBOOST_LIBRARY } : {}),
    },
  };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `GMP_LAKE_URL`: a folder (absolute, relative or file://) or `s3://bucket[/prefix]`. */
export function parseLakeUrl(value: string, raw: Partial<RawEnv>, cwd: string): LakeLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { type: 'local', root: path.resolve(cwd, value) };
  if (scheme === 'file') return { type: 'local', root: path.resolve(cwd, decodeURIComponent(new URL(value).pathname)) };
  if (scheme !== 's3') {
    throw new ConfigError(`GMP_LAKE_URL: unsupported scheme "${scheme}://"`, {
      hint: 'use a folder path (e.g. ./.gmp/lake) or s3://bucket/prefix',
    });
  }
  const rest = value.slice('s3://'.length);
  const [bucket = '', ...prefixParts] = rest.split('/');
  if (!BUCKET.test(bucket)) {
    throw new ConfigError(`GMP_LAKE_URL: "${bucket}" is not a valid S3 bucket name`, {
      hint: 'use s3://bucket/prefix with a bucket of 3-63 lowercase letters, digits, dots or hyphens',
    });
  }
  const prefix = prefixParts.filter((p) => p !== '').join('/');
  if (prefix.split('/').some((p) => p === '..' || p === '.')) {
    throw new ConfigError('GMP_LAKE_URL: the S3 prefix may not contain "." or ".." segments');
  }
  const endpoint = raw.AWS_ENDPOINT_URL_S3 ?? raw.AWS_ENDPOINT_URL;
  const forcePathStyle =
    raw.AWS_S3_FORCE_PATH_STYLE !== undefined
      ? raw.AWS_S3_FORCE_PATH_STYLE === 'true' || raw.AWS_S3_FORCE_PATH_STYLE === '1'
      : endpoint !== undefined;
  const location: LakeLocation = {
    type: 's3',
    bucket,
    prefix,
    region: raw.AWS_REGION ?? raw.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle,
  };
  if (endpoint !== undefined) location.endpoint = endpoint;
  if (raw.AWS_ACCESS_KEY_ID !== undefined && raw.AWS_SECRET_ACCESS_KEY !== undefined) {
    location.credentials = { accessKeyId: raw.AWS_ACCESS_KEY_ID, secretAccessKey: raw.AWS_SECRET_ACCESS_KEY };
    if (raw.AWS_SESSION_TOKEN !== undefined) location.credentials.sessionToken = raw.AWS_SESSION_TOKEN;
  }
  return location;
}

function parseWarehouseUrl(value: string, raw: RawEnv, cwd: string, requireCredentials: boolean): WarehouseLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { type: 'duckdb', path: path.resolve(cwd, value) };
  if (scheme === 'duckdb') return { type: 'duckdb', path: path.resolve(cwd, value.slice('duckdb://'.length)) };
  if (scheme === 'snowflake') return parseSnowflakeUrl(value, raw, cwd, { requireCredentials });
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgresWarehouseUrl(value, raw);
  throw new ConfigError(`GMP_WAREHOUSE_URL: unsupported warehouse "${scheme}://"`, {
    hint: 'use duckdb:///path/to/warehouse.duckdb, a file path, snowflake://<account>/<database>?warehouse=<warehouse> or postgres://<user>@<host>:5432/<database>',
  });
}

function parsePostgresWarehouseUrl(value: string, raw: RawEnv): WarehouseLocation {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('GMP_WAREHOUSE_URL: not a valid postgres:// URL', { hint: 'use postgres://<user>@<host>:5432/<database> (the password in PGPASSWORD)' });
  }
  registerSecret(decodeURIComponent(url.password));
  if (raw.PGPASSWORD !== undefined) registerSecret(raw.PGPASSWORD);
  if (raw.GMP_WAREHOUSE_READER_PASSWORD !== undefined) registerSecret(raw.GMP_WAREHOUSE_READER_PASSWORD);
  return {
    type: 'postgres',
    url: value,
    reader: raw.GMP_WAREHOUSE_READER,
    ...(raw.GMP_WAREHOUSE_READER_PASSWORD !== undefined ? { readerPassword: raw.GMP_WAREHOUSE_READER_PASSWORD } : {}),
    readerStatementTimeoutS: raw.GMP_WAREHOUSE_READER_TIMEOUT_S,
  };
}

function parseStateUrl(value: string, cwd: string): StateLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { type: 'sqlite', path: path.resolve(cwd, value) };
  if (scheme === 'sqlite') return { type: 'sqlite', path: path.resolve(cwd, value.slice('sqlite://'.length)) };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('GMP_STATE_URL: not a valid postgres:// URL', { hint: 'use postgres://user:password@host:5432/database' });
    }
    if (url.hostname === '' || url.pathname.replace(/^\//, '') === '') {
      throw new ConfigError('GMP_STATE_URL: a postgres URL needs a host and a database name', {
        hint: 'use postgres://user:password@host:5432/database',
      });
    }
    registerSecret(decodeURIComponent(url.password));
    return { type: 'postgres', url: value };
  }
  throw new ConfigError(`GMP_STATE_URL: unsupported state store "${scheme}://"`, {
    hint: 'use sqlite:///path/to/state.sqlite, a file path, or postgres://user:password@host:5432/database',
  });
}
