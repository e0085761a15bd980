import type { RawEnv } from './config-schema.js';

// envSchema()'s variables, checked without zod for an environment written as expected (nearly
// every one): loadConfig loads zod (~95 modules, ~40 ms, more than a `gmp compile` of 1,000 models
// takes) only for the others, for its messages. Each check accepts only what envSchema() accepts,
// with the value it parses to; when in doubt it says no (core/config/plain-env.test.ts compares).

type Spec =
  /** z.string().min(1), or with trim: z.string().trim().min(min ?? 1). */
  | { kind: 'text'; trim: boolean; min?: number; default?: string }
  /** z.string().trim().regex(pattern). */
  | { kind: 'pattern'; pattern: RegExp; default?: string }
  /** z.url(), or z.url({ protocol: /^https?$/ }) when http. */
  | { kind: 'url'; http: boolean; default?: string }
  /** z.coerce.number() with .int(), a lower bound (inclusive, or exclusive when `above`) and an upper one. */
  | { kind: 'number'; int: boolean; min: number; above?: true; max?: number; default?: number }
  /** z.enum(values). */
  | { kind: 'choice'; values: readonly string[]; default?: string };

const trimmed = (extra: { min?: number; default?: string } = {}): Spec => ({ kind: 'text', trim: true, ...extra });
const secret: Spec = { kind: 'text', trim: false };
const int = (min: number, max?: number, defaultValue?: number): Spec => ({ kind: 'number', int: true, min, ...(max !== undefined ? { max } : {}), ...(defaultValue !== undefined ? { default: defaultValue } : {}) });
const httpUrl = (defaultValue?: string): Spec => ({ kind: 'url', http: true, ...(defaultValue !== undefined ? { default: defaultValue } : {}) });

/** Every variable of envSchema(), in its order, as the fast check reads it. */
export const PLAIN_ENV: Readonly<Record<keyof RawEnv, Spec>> = {
  RAWG_API_KEY: trimmed(),
  RAWG_BASE_URL: httpUrl('https://api.rawg.io/api'),
  RAWG_TIMEOUT_MS: int(100, 600_000, 20_000),
  RAWG_MAX_RETRIES: int(0, 20, 5),
  RAWG_BACKOFF_BASE_MS: int(1, 60_000, 500),
  RAWG_BACKOFF_MAX_MS: int(1, 600_000, 30_000),
  RAWG_REQUESTS_PER_SECOND: { kind: 'number', int: false, min: 0, above: true, max: 1000, default: 5 },
  RAWG_CONCURRENCY: int(1, 64, 4),
  RAWG_SNAPSHOT_MAX_PAGES: int(1, 100_000, 10),
  RAWG_BUDGET_PER_MONTH: int(1, undefined, 20_000),
  RAWG_BUDGET_PER_DAY: int(1),
  GMP_HOME: trimmed({ default: './.gmp' }),
  GMP_MODELS_DIR: trimmed(),
  GMP_COLLECT_RATE: { kind: 'number', int: true, min: 0, above: true, default: 50_000 },
  GMP_EVENTS_COMMIT_SECONDS: int(0, undefined, 10),
  GMP_EVENTS_LATE_DAYS: { kind: 'number', int: false, min: 0, above: true, default: 3 },
  GMP_EVENTS_COMPACT_AFTER_HOURS: { kind: 'number', int: true, min: 0, above: true, default: 72 },
  GMP_HOT_URL: { kind: 'pattern', pattern: /^rediss?:\/\// },
  GMP_COLLECT_WRITE_KEY: trimmed({ min: 16 }),
  GMP_COLLECTOR_URL: httpUrl(),
  GMP_ALERTS_WEBHOOK_URL: httpUrl(),
  GMP_ALERTS_FILE: trimmed(),
  GMP_CHROMIUM: trimmed(),
  GMP_DASHBOARDS_DIR: trimmed(),
  GMP_LAKE_URL: trimmed(),
  GMP_WAREHOUSE_URL: trimmed(),
  GMP_WAREHOUSE_READER: { kind: 'pattern', pattern: /^[a-z_][a-z0-9_]{0,62}$/, default: 'gmp_reader' },
  GMP_WAREHOUSE_READER_PASSWORD: secret,
  GMP_WAREHOUSE_READER_TIMEOUT_S: int(1, 86_400, 300),
  PGPASSWORD: secret,
  GMP_STATE_URL: trimmed(),
  GMP_SQL_CONSOLE: { kind: 'choice', values: ['viewers', 'operators', 'off'], default: 'viewers' },
  GMP_LOG_LEVEL: { kind: 'choice', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  MLFLOW_TRACKING_URI: httpUrl(),
  MLFLOW_TRACKING_TOKEN: secret,
  MLFLOW_TRACKING_USERNAME: secret,
  MLFLOW_TRACKING_PASSWORD: secret,
  GMP_XGBOOST_LIBRARY: trimmed(),
  GMP_ML_MIN_ROWS: int(10, undefined, 200),
  OPENLINEAGE_URL: httpUrl(),
  OPENLINEAGE_API_KEY: trimmed(),
  SNOWFLAKE_USER: trimmed(),
  SNOWFLAKE_PASSWORD: secret,
  SNOWFLAKE_PRIVATE_KEY_PATH: trimmed(),
  SNOWFLAKE_PRIVATE_KEY: trimmed(),
  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: secret,
  SNOWFLAKE_STORAGE_INTEGRATION: { kind: 'pattern', pattern: /^[A-Za-z_][A-Za-z0-9_$]*$/, default: 'gmp_lake' },
  SNOWFLAKE_STORAGE_AWS_ROLE_ARN: { kind: 'pattern', pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/ },
  SNOWFLAKE_STATEMENT_TIMEOUT_S: int(1, 604_800, 3600),
  AWS_ENDPOINT_URL_S3: { kind: 'url', http: false },
  AWS_ENDPOINT_URL: { kind: 'url', http: false },
  AWS_REGION: trimmed(),
  AWS_DEFAULT_REGION: trimmed(),
  AWS_ACCESS_KEY_ID: trimmed(),
  AWS_SECRET_ACCESS_KEY: trimmed(),
  AWS_SESSION_TOKEN: trimmed(),
  AWS_S3_FORCE_PATH_STYLE: { kind: 'choice', values: ['true', 'false', '1', '0'] },
};

const SPECS = Object.entries(PLAIN_ENV) as [keyof RawEnv, Spec][];

/**
 * What envSchema() parses `env` (only its variables, none empty) to, when every value is plain;
 * undefined when any is not (then envSchema() decides, and says why).
 */
export function plainEnv(env: Readonly<Record<string, string>>): RawEnv | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of SPECS) {
    const raw = env[name];
    if (raw === undefined) {
      if (spec.default !== undefined) out[name] = spec.default;
      continue;
    }
    const value = plainValue(spec, raw);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out as RawEnv;
}

// Digits, an optional fraction: what Number() reads as written (no blanks, exponents, hex or Infinity).
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;
// No blank anywhere: trim() would change nothing and the URL parser strips no tab or newline.
const NO_BLANK = /^\S+$/;
const HTTP = /^https?:\/\//i;

function plainValue(spec: Spec, raw: string): string | number | undefined {
  switch (spec.kind) {
    case 'text': {
      const value = spec.trim ? raw.trim() : raw;
      return value.length >= (spec.min ?? 1) ? value : undefined;
    }
    case 'pattern': {
      const value = raw.trim();
      return spec.pattern.test(value) ? value : undefined;
    }
    case 'url':
      return NO_BLANK.test(raw) && (!spec.http || HTTP.test(raw)) && URL.canParse(raw) ? raw : undefined;
    case 'number': {
      if (!(spec.int ? INTEGER : DECIMAL).test(raw)) return undefined;
      const n = Number(raw);
      if (spec.int ? !Number.isSafeInteger(n) : !Number.isFinite(n)) return undefined;
      if (spec.above ? n <= spec.min : n < spec.min) return undefined;
      return spec.max === undefined || n <= spec.max ? n : undefined;
    }
    case 'choice':
      return spec.values.includes(raw) ? raw : undefined;
  }
}
