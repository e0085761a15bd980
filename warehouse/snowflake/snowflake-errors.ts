import { CanceledError, WarehouseError, redactText } from '../../core/index.js';

/** The parts of a snowflake-sdk error gmp reads; the rest (HTTP response, request config) is never kept. */
interface SdkError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  sqlState?: unknown;
  data?: { queryId?: unknown } | null;
  response?: { statusCode?: unknown; status?: unknown } | null;
}

// Global Services codes: the session or its tokens are gone; a new login fixes it.
const SESSION_GONE = new Set(['390104', '390111', '390112', '390114', '407002']);
// Wrong credentials or a rejected key: retrying cannot help.
const AUTH_FAILED = new Set(['390100', '390101', '390102', '390144', '394304']);
const CREDENTIAL_LITERAL =
  /\b(PASSWORD|AWS_KEY_ID|AWS_SECRET_KEY|AWS_TOKEN|AZURE_SAS_TOKEN|MASTER_KEY|ENCRYPTION_KEY|PRIVATE_KEY|RSA_PUBLIC_KEY(?:_2)?|OAUTH_CLIENT_SECRET|TOKEN|SECRET)(\s*=\s*)'(?:[^'\\]|\\.|'')*'/gi;

/** SQL as it may be shown: credential literals masked (and every registered secret, by GmpError). */
export function redactSql(sql: string): string {
  const masked = sql.replace(CREDENTIAL_LITERAL, `$1$2'[REDACTED]'`);
  return masked.length > 2000 ? `${masked.slice(0, 2000)}…` : masked;
}

function codeOf(error: SdkError): string {
  return error.code === undefined || error.code === null ? '' : String(error.code);
}

function statusOf(error: SdkError): number | undefined {
  const status = Number(error.response?.statusCode ?? error.response?.status);
  return Number.isFinite(status) ? status : undefined;
}

/** The login or session is gone (expired master token, dropped session): reconnect, then retry. */
export function needsReconnect(error: unknown): boolean {
  return SESSION_GONE.has(codeOf(error as SdkError));
}

/**
 * Worth retrying: network failures, 5xx/429/408 that outlived the SDK's own retries, and a lost
 * session. Never a SQL error (those carry a SQL state) or a rejected login.
 */
export function isTransient(error: unknown): boolean {
  const e = error as SdkError;
  if (needsReconnect(e)) return true;
  if (e.name === 'NetworkError') return true;
  if (e.name === 'RequestFailedError') {
    const status = statusOf(e);
    return status === undefined || status >= 500 || status === 429 || status === 408;
  }
  return false;
}

export interface ErrorSite {
  sql?: string;
  binds?: readonly unknown[];
  /** What gmp was doing, for the message: `query`, `login`. */
  during: 'query' | 'login';
}

/**
 * A snowflake-sdk error as the project's WarehouseError: query id, SQL state, vendor code and the
 * redacted SQL in `context`, `retryable` from `isTransient`, a fix hint for known failures. The
 * SDK error itself is not kept as `cause` (its HTTP response can hold the login request); a
 * redacted copy of its name and message is.
 */
export function toWarehouseError(error: unknown, site: ErrorSite): WarehouseError {
  const e = (error ?? {}) as SdkError;
  const code = codeOf(e);
  // Snowflake's messages span lines ("SQL compilation error:\nObject … does not exist"): keep one line.
  const oneLine = redactText(String(e.message ?? error).replace(/\s*\n\s*/g, ' ').trim());
  const summary = oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
  const cause = Object.assign(new Error(redactText(String(e.message ?? error))), { name: String(e.name ?? 'Error') });
  const context: Record<string, unknown> = {};
  if (typeof e.data?.queryId === 'string') context.queryId = e.data.queryId;
  if (typeof e.sqlState === 'string') context.sqlState = e.sqlState;
  if (code !== '') context.vendorCode = code;
  if (site.sql !== undefined) context.sql = redactSql(site.sql);
  if (site.binds !== undefined && site.binds.length > 0) context.binds = site.binds;
  const auth = site.during === 'login' && (AUTH_FAILED.has(code) || statusOf(e) === 401 || statusOf(e) === 403);
  return new WarehouseError(`Snowflake ${site.during === 'login' ? 'login' : 'query'} failed: ${summary}`, {
    cause,
    context,
    retryable: !auth && isTransient(e),
    ...(auth
      ? { hint: 'check SNOWFLAKE_USER and SNOWFLAKE_PASSWORD (or the key pair), and that the account in GMP_WAREHOUSE_URL is right' }
      : code === '002003'
        ? { hint: 'an object is missing or not granted to the role: run `gmp warehouse setup`, or grant the role access' }
        : {}),
  });
}

/** The error for a statement canceled through its AbortSignal. */
export function canceled(sql: string): CanceledError {
  return new CanceledError('Snowflake statement canceled', { context: { sql: redactSql(sql) } });
}
