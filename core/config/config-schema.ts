import path from 'node:path';
import { z } from 'zod';

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

export type WarehouseLocation = { type: 'duckdb'; path: string };
/** Where OpenLineage run events are POSTed besides the JSONL file; absent url: the file only. */
export interface OpenLineageSettings {
  url?: string;
  apiKey?: string;
}
export type StateLocation = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/**
 * Every variable the pipeline reads, with its default. The schema is the documentation:
 * `.env.example` and USER_MANUAL.md list exactly these names.
 */
export const ENV_SCHEMA = z.object({
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
  GMP_LAKE_URL: z.string().trim().min(1).optional().describe('a folder, or s3://bucket/prefix (default GMP_HOME/lake)'),
  GMP_WAREHOUSE_URL: z.string().trim().min(1).optional().describe('duckdb:///path or a .duckdb file (default GMP_HOME/warehouse.duckdb)'),
  GMP_STATE_URL: z.string().trim().min(1).optional().describe('sqlite:///path, a .sqlite file, or postgres://user:pass@host:port/db (default GMP_HOME/state.sqlite)'),
  GMP_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('log level'),
  OPENLINEAGE_URL: z.url({ protocol: /^https?$/ }).optional().describe('OpenLineage endpoint; run events are POSTed to <url>/api/v1/lineage'),
  OPENLINEAGE_API_KEY: z.string().trim().min(1).optional().describe('OpenLineage API key, sent as a Bearer token'),
  AWS_ENDPOINT_URL_S3: z.url().optional().describe('S3 endpoint (MinIO, test servers)'),
  AWS_ENDPOINT_URL: z.url().optional().describe('fallback endpoint for every AWS service'),
  AWS_REGION: z.string().trim().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().trim().min(1).optional(),
  AWS_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().trim().min(1).optional(),
  AWS_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
});

export type RawEnv = z.infer<typeof ENV_SCHEMA>;

/** Names of the variables whose values are secrets. */
export const SECRET_VARIABLES = ['RAWG_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'OPENLINEAGE_API_KEY'] as const;

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
}

/** The validated configuration every module receives; nothing below the CLI reads process.env. */
export interface Config {
  home: string;
  rawg: RawgSettings;
  lake: LakeLocation;
  warehouse: WarehouseLocation;
  state: StateLocation;
  logLevel: RawEnv['GMP_LOG_LEVEL'];
  /** Optional so hand-built configs stay valid; loadConfig always sets it. */
  openLineage?: OpenLineageSettings;
}

export function resolveHome(cwd: string, home: string): string {
  return path.resolve(cwd, home);
}
