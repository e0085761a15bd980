import type { LakeLocation } from '../../core/index.js';
import { redactText, registerSecret } from '../../core/index.js';

/** An S3 lake location as DuckDB's httpfs needs it (bucket, prefix, endpoint, style, credentials). */
export type DuckDbS3Lake = Extract<LakeLocation, { type: 's3' }>;

/** Whether this process's DuckDB can read `s3://` URLs of the lake, and why not. */
export type HttpfsStatus = { available: true } | { available: false; reason: string };

const SECRET_NAME = 'gmp_lake';
const MASK = "'[REDACTED]'";

/** Settings of a DuckDB instance (`DuckDBInstance.create`'s config), e.g. `extension_directory`. */
export type DuckDbSettings = Readonly<Record<string, string>>;

/**
 * The settings of every instance gmp opens, over any given ones: with autoinstall off, DuckDB never
 * fetches an extension on its own (say httpfs, when SQL names an `s3://` URL). An installed
 * extension is still autoloaded from the extension folder.
 */
export function duckDbInstanceSettings(settings: DuckDbSettings = {}): Record<string, string> {
  return { ...settings, autoinstall_known_extensions: 'false' };
}

/**
 * Loads httpfs from the local extension folder only: with autoinstall off, a missing extension
 * fails at once instead of being fetched from extensions.duckdb.org in the middle of a run.
 */
export const HTTPFS_LOAD_STATEMENTS: readonly string[] = ['SET autoinstall_known_extensions = false', 'LOAD httpfs'];

/**
 * `CREATE OR REPLACE TEMPORARY SECRET` giving DuckDB's httpfs access to the lake: region, the custom
 * endpoint (host:port, TLS from its scheme), path or virtual-hosted style, and the static credentials
 * from the configuration, or the AWS credential chain when there are none (that needs DuckDB's aws
 * extension). Scoped to the lake's bucket and prefix. Temporary: it lives in memory for one
 * database instance and is never written to disk. The text holds the secret: run it, never log it
 * (log `redactedS3SecretStatement`); its SQL-quoted form is registered for redaction all the same.
 */
export function s3SecretStatement(lake: DuckDbS3Lake): string {
  return secretStatement(lake, false);
}

/** The same statement with the key id, secret and session token masked, for logs and tests. */
export function redactedS3SecretStatement(lake: DuckDbS3Lake): string {
  return redactText(secretStatement(lake, true));
}

/** `s3://bucket/prefix/key`: how DuckDB addresses a lake key through httpfs. */
function s3Url(lake: DuckDbS3Lake, key: string): string {
  const prefix = lake.prefix.split('/').filter((s) => s !== '').join('/');
  return `s3://${lake.bucket}/${prefix === '' ? '' : `${prefix}/`}${key}`;
}

function secretStatement(lake: DuckDbS3Lake, redact: boolean): string {
  const q = (value: string): string => `'${value.replace(/'/g, "''")}'`;
  const secret = (value: string): string => {
    if (redact) return MASK;
    // A quote inside the secret is doubled here, which the registered plain value would not match.
    registerSecret(value.replace(/'/g, "''"));
    return q(value);
  };
  const options: string[] = ['TYPE s3'];
  if (lake.credentials === undefined) {
    options.push('PROVIDER credential_chain');
  } else {
    options.push('PROVIDER config', `KEY_ID ${secret(lake.credentials.accessKeyId)}`, `SECRET ${secret(lake.credentials.secretAccessKey)}`);
    if (lake.credentials.sessionToken !== undefined) options.push(`SESSION_TOKEN ${secret(lake.credentials.sessionToken)}`);
  }
  options.push(`REGION ${q(lake.region)}`);
  if (lake.endpoint !== undefined) {
    const url = new URL(lake.endpoint);
    // httpfs takes the endpoint without scheme; the scheme becomes USE_SSL.
    const path = url.pathname.replace(/\/+$/, '');
    options.push(`ENDPOINT ${q(`${url.host}${path}`)}`, `USE_SSL ${url.protocol === 'https:' ? 'true' : 'false'}`);
  }
  options.push(`URL_STYLE ${q(lake.forcePathStyle ? 'path' : 'vhost')}`, `SCOPE ${q(s3Url(lake, ''))}`);
  return `CREATE OR REPLACE TEMPORARY SECRET ${SECRET_NAME} (${options.join(', ')})`;
}

const statusByLake = new Map<string, Promise<HttpfsStatus>>();

/**
 * Whether DuckDB can read the lake through httpfs in this process: loads the extension (never
 * installs it) and creates the lake's secret in a throwaway in-memory database opened with
 * `settings` (DuckDB's defaults, such as the extension folder ~/.duckdb/extensions, otherwise).
 * Probed once per process, lake and settings; a failure carries the (redacted) reason and never
 * the secret statement.
 */
export function duckDbHttpfsStatus(lake: DuckDbS3Lake, settings: DuckDbSettings = {}): Promise<HttpfsStatus> {
  const key = JSON.stringify([s3Url(lake, ''), Object.entries(settings).sort(([a], [b]) => a.localeCompare(b))]);
  let status = statusByLake.get(key);
  if (status === undefined) {
    status = probe(lake, settings);
    statusByLake.set(key, status);
  }
  return status;
}

async function probe(lake: DuckDbS3Lake, settings: DuckDbSettings): Promise<HttpfsStatus> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', duckDbInstanceSettings(settings));
  try {
    const connection = await instance.connect();
    try {
      for (const sql of HTTPFS_LOAD_STATEMENTS) {
        const failed = await attempt(() => connection.run(sql));
        if (failed !== undefined) return { available: false, reason: `httpfs cannot be loaded: ${failed}` };
      }
      const failed = await attempt(() => connection.run(s3SecretStatement(lake)));
      if (failed !== undefined) return { available: false, reason: `the lake's S3 secret cannot be created: ${failed}` };
      return { available: true };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Runs `work`; returns the first line of its error (redacted), or undefined when it succeeded. */
async function attempt(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return redactText(text.split('\n')[0] ?? text);
  }
}
