import path from 'node:path';
import type * as zod from 'zod';
import { lazyZodSchema } from '../lazy-zod.js';

/** Where the lake lives. S3 endpoint and credentials come from the standard AWS variables. */
export type LakeLocation =
  | { type: 'local'; root: string }
  | {
      type: 's3';
      bucket: string;
      prefix: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    };

export type WarehouseLocation = { type: 'duckdb'; path: string } | SnowflakeLocation | PostgresWarehouseLocation;

/**
 * `postgres://<user>[:<password>]@<host>[:<port>]/<database>[?sslmode=…]`; what the URL leaves out
 * comes from the standard libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
 */
export interface PostgresWarehouseLocation {
  type: 'postgres';
  /** The URL as configured; its password (if any) is a registered secret, never printed. */
  url: string;
  /** The read-only BI role `gmp warehouse setup` creates. */
  reader: string;
  /** Set: the reader role can log in with it; unset: a NOLOGIN role granted to login roles. */
  readerPassword?: string;
  /** The reader role's statement_timeout. */
  readerStatementTimeoutS: number;
}

/** How gmp logs in to Snowflake: a password or a key pair (never both). */
export type SnowflakeCredentials = { user: string } & (
  | { type: 'password'; password: string }
  | { type: 'key-pair'; privateKey: string; passphrase?: string }
  | { type: 'key-pair'; privateKeyPath: string; passphrase?: string }
);

/** `snowflake://<account>/<database>[/<schema>]?warehouse=…&role=…` plus the `SNOWFLAKE_*` variables. */
export interface SnowflakeLocation {
  type: 'snowflake';
  /** Account identifier as Snowflake spells it: `xy12345.eu-west-1`, `myorg-myaccount`. */
  account: string;
  database: string;
  /** The session's default schema (unqualified names in `gmp query`); gmp's own objects are schema-qualified. */
  schema?: string;
  warehouse?: string;
  role?: string;
  /** Absent only when the caller did not require them (printing the setup SQL needs no login). */
  credentials?: SnowflakeCredentials;
  statementTimeoutS: number;
  /** The storage integration the lake stage uses. */
  storageIntegration: string;
  /** Set: `gmp warehouse setup` creates or updates the storage integration with this IAM role. */
  storageAwsRoleArn?: string;
}
/** Where OpenLineage run events are POSTed besides the JSONL file; absent url: the file only. */
export interface OpenLineageSettings {
  url?: string;
  apiKey?: string;
}
/** Machine learning: where runs are mirrored, the native training library, the minimum training set. */
export interface MlSettings {
  /** MLFLOW_TRACKING_URI: every training run is also logged to this MLflow tracking server. */
  mlflowTrackingUri?: string;
  /** MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic auth). */
  mlflowToken?: string;
  mlflowUsername?: string;
  mlflowPassword?: string;
  /** GMP_XGBOOST_LIBRARY: the XGBoost shared library (default: libxgboost.so.0 from the system's library path). */
  xgboostLibrary?: string;
  /** GMP_ML_MIN_ROWS: fewer labelled games than this and training refuses to start. */
  minRows: number;
}
export type StateLocation = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

// Built on first use: loadConfig validates a plain environment without it (plain-env.ts), so
// zod (~95 modules, ~40 ms to load) loads only to explain what is wrong, or for the tools that
// read the schema itself.
const build = (z: typeof zod.z) =>
  z.object({
    RAWG_API_KEY: z.string().trim().min(1).optional().describe('RAWG API key; unset means the demo uses the sandbox'),
    RAWG_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.rawg.io/api').describe('RAWG API base URL'),
    RAWG_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000).describe('per-request timeout'),
    RAWG_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5).describe('retries on 429/5xx/network errors'),
    RAWG_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500).describe('first retry delay; doubles per retry (jittered)'),
    RAWG_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(600_000).default(30_000).describe('longest retry delay'),
    RAWG_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(5).describe('token-bucket rate limit'),
    RAWG_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4).describe('requests in flight per source'),
    RAWG_SNAPSHOT_MAX_PAGES: z.coerce.number().int().min(1).max(100_000).default(10).describe('page cap for large snapshot lists'),
    RAWG_BUDGET_PER_MONTH: z.coerce.number().int().min(1).default(20_000).describe('requests allowed per calendar month (UTC); the free tier is 20,000'),
    RAWG_BUDGET_PER_DAY: z.coerce.number().int().min(1).optional().describe('requests allowed per UTC day (unset: no daily cap)'),
    GMP_HOME: z.string().trim().min(1).default('./.gmp').describe('working folder for the embedded defaults'),
    GMP_MODELS_DIR: z.string().trim().min(1).optional().describe('the models folder: SQL and YAML models, macros/, tests/ (default: the models/ gmp ships)'),
    GMP_COLLECT_RATE: z.coerce.number().int().positive().default(50_000).describe('events a second each source may send to gmp collect, unless its own rate says otherwise (gmp sources add NAME --rate N)'),
    GMP_EVENTS_COMMIT_SECONDS: z.coerce.number().int().nonnegative().default(10).describe("how often gmp collect commits its write-ahead log into the lake's hourly event partitions (0: never on a timer)"),
    GMP_EVENTS_LATE_DAYS: z.coerce.number().positive().default(3).describe('events that happened longer ago than this when committed go to failed_events as too_late'),
    GMP_EVENTS_COMPACT_AFTER_HOURS: z.coerce.number().int().positive().default(72).describe('events/compact_events (gmp events compact) compacts a UTC day of hourly event partitions into one Parquet once all its hours ended this long ago; keep it at least GMP_EVENTS_LATE_DAYS × 24'),
    GMP_HOT_URL: z.string().trim().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional().describe('redis://[:password@]host:port[/db]: the hot path (recent views, live sessions) shared by several collectors (default: in each process)'),
    GMP_COLLECT_WRITE_KEY: z.string().trim().min(16).optional().describe('one more write key gmp collect accepts (as source env), for stacks that cannot run gmp sources add; at least 16 characters'),
    GMP_COLLECTOR_URL: z.url({ protocol: /^https?$/ }).optional().describe("the collector whose /metrics the alert rules on metrics read, e.g. http://127.0.0.1:8088 (alerts.yml's collector_url wins)"),
    GMP_ALERTS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional().describe("the Slack-compatible webhook alerts go to (a secret), unless alerts.yml's webhook_env names another variable; unset: the daemon's log only"),
    GMP_ALERTS_FILE: z.string().trim().min(1).optional().describe('the alert rules gmp daemon and gmp alerts evaluate (default: the alerts.yml gmp ships)'),
    GMP_CHROMIUM: z.string().trim().min(1).optional().describe('the Chromium that prints exported dashboards to PDF (default: chromium, chromium-browser or google-chrome on PATH)'),
    GMP_DASHBOARDS_DIR: z.string().trim().min(1).optional().describe('the dashboards folder: Markdown pages with SQL blocks and charts (default: the dashboards/ gmp ships)'),
    GMP_LAKE_URL: z.string().trim().min(1).optional().describe('a folder, or s3://bucket/prefix (default GMP_HOME/lake)'),
    GMP_WAREHOUSE_URL: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe(
        'duckdb:///path or a .duckdb file (default GMP_HOME/warehouse.duckdb), snowflake://<account>/<database>[/<schema>]?warehouse=<wh>&role=<role>, or postgres://<user>@<host>:<port>/<database>',
      ),
    GMP_WAREHOUSE_READER: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lowercase role name such as gmp_reader')
      .default('gmp_reader')
      .describe('Postgres: the read-only BI role `gmp warehouse setup` creates'),
    GMP_WAREHOUSE_READER_PASSWORD: z.string().min(1).optional().describe('Postgres: makes the BI role a login role with this password (else NOLOGIN, granted to your BI logins)'),
    GMP_WAREHOUSE_READER_TIMEOUT_S: z.coerce.number().int().min(1).max(86_400).default(300).describe("Postgres: the BI role's statement_timeout"),
    PGPASSWORD: z.string().min(1).optional().describe('Postgres: the password of a postgres:// GMP_WAREHOUSE_URL that carries none (libpq standard)'),
    GMP_STATE_URL: z.string().trim().min(1).optional().describe('sqlite:///path, a .sqlite file, or postgres://user:pass@host:port/db (default GMP_HOME/state.sqlite)'),
    GMP_SQL_CONSOLE: z.enum(['viewers', 'operators', 'off']).default('viewers').describe("who may use gmp serve's SQL console (read-only queries): viewers and up, operators and up, or nobody"),
    GMP_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('log level'),
    MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }).optional().describe('MLflow tracking server: every training run is also logged there (params, metrics, artifacts)'),
    MLFLOW_TRACKING_TOKEN: z.string().min(1).optional().describe('MLflow bearer token (for a server behind authentication)'),
    MLFLOW_TRACKING_USERNAME: z.string().min(1).optional().describe('MLflow basic-auth user name (with MLFLOW_TRACKING_PASSWORD)'),
    MLFLOW_TRACKING_PASSWORD: z.string().min(1).optional().describe('MLflow basic-auth password'),
    GMP_XGBOOST_LIBRARY: z.string().trim().min(1).optional().describe("XGBoost's shared library for training (default libxgboost.so.0: Debian/Ubuntu package libxgboost0)"),
    GMP_ML_MIN_ROWS: z.coerce.number().int().min(10).default(200).describe('training refuses to start with fewer labelled games than this'),
    OPENLINEAGE_URL: z.url({ protocol: /^https?$/ }).optional().describe('OpenLineage endpoint; run events are POSTed to <url>/api/v1/lineage'),
    OPENLINEAGE_API_KEY: z.string().trim().min(1).optional().describe('OpenLineage API key, sent as a Bearer token'),
    SNOWFLAKE_USER: z.string().trim().min(1).optional().describe('Snowflake login name (with a snowflake:// GMP_WAREHOUSE_URL)'),
    SNOWFLAKE_PASSWORD: z.string().min(1).optional().describe('password of SNOWFLAKE_USER; or use a key pair (SNOWFLAKE_PRIVATE_KEY_PATH)'),
    SNOWFLAKE_PRIVATE_KEY_PATH: z.string().trim().min(1).optional().describe('PEM file holding the key-pair private key (instead of a password)'),
    SNOWFLAKE_PRIVATE_KEY: z.string().trim().min(1).optional().describe('the key-pair private key itself, PEM (\\n escapes allowed), for secret stores that inject values'),
    SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: z.string().min(1).optional().describe('passphrase of an encrypted private key'),
    SNOWFLAKE_STORAGE_INTEGRATION: z
      .string()
      .trim()
      .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'expected a plain identifier such as gmp_lake')
      .default('gmp_lake')
      .describe('storage integration the lake stage reads S3 through'),
    SNOWFLAKE_STORAGE_AWS_ROLE_ARN: z
      .string()
      .trim()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected arn:aws:iam::<12-digit account>:role/<name>')
      .optional()
      .describe('IAM role Snowflake assumes to read the lake; set it and `gmp warehouse setup` creates/updates the storage integration (needs ACCOUNTADMIN or CREATE INTEGRATION)'),
    SNOWFLAKE_STATEMENT_TIMEOUT_S: z.coerce
      .number()
      .int()
      .min(1)
      .max(604_800)
      .default(3600)
      .describe('STATEMENT_TIMEOUT_IN_SECONDS of gmp sessions'),
    AWS_ENDPOINT_URL_S3: z.url().optional().describe('S3 endpoint (MinIO, test servers)'),
    AWS_ENDPOINT_URL: z.url().optional().describe('fallback endpoint for every AWS service'),
    AWS_REGION: z.string().trim().min(1).optional(),
    AWS_DEFAULT_REGION: z.string().trim().min(1).optional(),
    AWS_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().trim().min(1).optional(),
    AWS_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
  });

/**
 * Every variable the pipeline reads, with its default. The schema is the documentation:
 * `.env.example` and USER_MANUAL.md list exactly these names.
 */
export const envSchema = lazyZodSchema(build);

export type RawEnv = zod.infer<ReturnType<typeof envSchema>>;

/** Names of the variables whose values are secrets. */
export const SECRET_VARIABLES = [
  'RAWG_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'OPENLINEAGE_API_KEY',
  'MLFLOW_TRACKING_TOKEN',
  'MLFLOW_TRACKING_PASSWORD',
  'GMP_COLLECT_WRITE_KEY',
  'GMP_ALERTS_WEBHOOK_URL',
  'SNOWFLAKE_PASSWORD',
  'GMP_WAREHOUSE_READER_PASSWORD',
  'PGPASSWORD',
  'SNOWFLAKE_PRIVATE_KEY',
  'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
] as const;

export interface RawgSettings {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  backoff: { baseMs: number; maxMs: number };
  requestsPerSecond: number;
  concurrency: number;
  snapshotMaxPages: number;
  /** The request budget, enforced by a ledger in the state store. */
  budget: { perMonth: number; perDay?: number };
  /**
   * The ledger this endpoint's requests are charged to (default: the base URL without credentials
   * or query): the demo's built-in sandbox uses `sandbox`, so it never spends a real key's quota.
   */
  ledger?: string;
}

/** The validated configuration every module receives; nothing below the CLI reads process.env. */
export interface Config {
  home: string;
  /** The models folder (dbt's project): the shipped models/ unless GMP_MODELS_DIR says otherwise. Optional so hand-built configs stay valid. */
  modelsDir?: string;
  /** The dashboards folder: the shipped dashboards/ unless GMP_DASHBOARDS_DIR says otherwise. */
  dashboardsDir?: string;
  /** Seconds between commits of the collector's log into the lake (GMP_EVENTS_COMMIT_SECONDS). */
  eventsCommitSeconds: number;
  /** Days back an event may have happened and still land in its hour (GMP_EVENTS_LATE_DAYS). */
  eventsLateWindowDays: number;
  /** Hours after which a day's hourly event partitions are compacted into one Parquet (GMP_EVENTS_COMPACT_AFTER_HOURS). Optional so hand-built configs stay valid (72). */
  eventsCompactAfterHours?: number;
  /** Events a second a source may send to gmp collect by default (GMP_COLLECT_RATE). */
  collectRate: number;
  /** The hot path's Redis (GMP_HOT_URL); unset: each process keeps its own in memory. */
  hotUrl?: string;
  /** GMP_COLLECT_WRITE_KEY: a write key gmp collect takes besides the sources' ones. */
  collectWriteKey?: string;
  /** GMP_COLLECTOR_URL: the collector alert rules on metrics read. */
  collectorUrl?: string;
  /** GMP_ALERTS_WEBHOOK_URL: where alert notices go unless alerts.yml names another variable. */
  alertsWebhookUrl?: string;
  /** GMP_ALERTS_FILE, resolved; unset: the alerts.yml gmp ships. */
  alertsFile?: string;
  /** Chromium for PDF exports: GMP_CHROMIUM, else found on PATH. */
  chromium?: string;
  rawg: RawgSettings;
  lake: LakeLocation;
  warehouse: WarehouseLocation;
  state: StateLocation;
  logLevel: RawEnv['GMP_LOG_LEVEL'];
  sqlConsole: RawEnv['GMP_SQL_CONSOLE'];
  /** Whether GMP_SQL_CONSOLE was set (environment or .env) or is its default; optional so hand-built configs stay valid. */
  sqlConsoleSource?: 'environment' | 'default';
  /** Optional so hand-built configs stay valid; loadConfig always sets it. */
  openLineage?: OpenLineageSettings;
  /** Optional so hand-built configs stay valid; loadConfig always sets it. */
  ml?: MlSettings;
}

export function resolveHome(cwd: string, home: string): string {
  return path.resolve(cwd, home);
}
