import { CanceledError } from '../../core/index.js';
import type { MlflowConnection } from './mlflow-connection.js';
import { MlflowError } from './mlflow-error.js';

export interface MlflowRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Under the tracking URI, e.g. `/api/2.0/mlflow/runs/create`. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  bytes?: Uint8Array;
  /** False for a request that must not be sent twice (runs/create): the caller decides instead. */
  retry?: boolean;
  timeoutMs?: number;
}

const ATTEMPTS = 3;
const BACKOFF_MS = [250, 1_000];
// A connection that broke after it was open (the server restarting, a proxy recycling it).
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Sends one MLflow REST request and returns its parsed JSON body. Retries a 5xx, a 429 or a reset
 * connection, at most 3 attempts in all; throws MlflowError (one line: endpoint, status, MLflow's
 * error_code) otherwise, or CanceledError when the caller's signal aborts.
 */
export async function callMlflow<T>(connection: MlflowConnection, request: MlflowRequest): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce<T>(connection, request);
    } catch (error) {
      if (!(error instanceof MlflowError) || !error.retryable || request.retry === false || attempt >= ATTEMPTS) throw error;
      await pause(BACKOFF_MS[attempt - 1] ?? 1_000, connection.signal);
    }
  }
}

async function sendOnce<T>(connection: MlflowConnection, request: MlflowRequest): Promise<T> {
  const url = new URL(connection.baseUrl + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const endpoint = `${request.method} ${connection.baseUrl}${request.path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (connection.authorization !== undefined) headers.authorization = connection.authorization;
  let body: string | Uint8Array | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.bytes !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = request.bytes;
  }
  const timeout = AbortSignal.timeout(request.timeoutMs ?? connection.timeoutMs);
  const signal = connection.signal ? AbortSignal.any([connection.signal, timeout]) : timeout;

  let status: number;
  let text: string;
  try {
    const response = await connection.fetch(url, { method: request.method, headers, body, signal });
    status = response.status;
    text = await response.text();
  } catch (cause) {
    if (connection.signal?.aborted) throw new CanceledError(`${endpoint} canceled`, { cause });
    if (timeout.aborted) {
      throw new MlflowError('HTTP_TIMEOUT', `MLflow did not answer ${endpoint} within ${request.timeoutMs ?? connection.timeoutMs} ms`, { cause, endpoint });
    }
    throw networkError(cause, connection.baseUrl, endpoint);
  }
  if (status < 200 || status > 299) throw statusError(status, text, endpoint);
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new MlflowError('HTTP_BAD_BODY', `${endpoint} answered ${status} with a body that is not JSON: ${oneLine(text, 120)}`, {
      cause,
      endpoint,
      status,
      hint: 'check that MLFLOW_TRACKING_URI points at an MLflow tracking server',
    });
  }
}

function networkError(cause: unknown, baseUrl: string, endpoint: string): MlflowError {
  // fetch throws "fetch failed"; what happened is in its cause (a code, or a message such as "bad port").
  const inner = (cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = inner?.code ?? inner?.message ?? (cause instanceof Error ? cause.message : String(cause));
  if (RESET_CODES.has(code)) {
    return new MlflowError('HTTP_NETWORK', `the connection to MLflow broke during ${endpoint} (${code})`, { cause, endpoint, retryable: true });
  }
  return new MlflowError('HTTP_NETWORK', `MLflow at ${baseUrl} is unreachable (${code}) for ${endpoint}: is the tracking server running, and MLFLOW_TRACKING_URI right?`, {
    cause,
    endpoint,
  });
}

function statusError(status: number, text: string, endpoint: string): MlflowError {
  let errorCode: string | undefined;
  let detail = text;
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.error_code === 'string') errorCode = parsed.error_code;
    if (typeof parsed.message === 'string') detail = parsed.message;
  } catch {
    // Not MLflow's JSON error body: a proxy's page, or the security middleware's plain text.
  }
  const message = `${endpoint} answered ${status}${errorCode ? ` ${errorCode}` : ''}: ${oneLine(detail, 300)}`;
  const options = { endpoint, status, errorCode, retryable: status >= 500 || status === 429 };
  if (/Invalid Host header/i.test(text)) {
    return new MlflowError('HTTP_STATUS', message, { ...options, hint: "the server refused the Host header: start it with --allowed-hosts naming the host of MLFLOW_TRACKING_URI" });
  }
  if (status === 401 || status === 403) {
    return new MlflowError('HTTP_UNAUTHORIZED', message, {
      ...options,
      hint: 'set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, to a login the server accepts',
    });
  }
  return new MlflowError('HTTP_STATUS', message, options);
}

/** The first line of `text`, cut to `max` characters: MLflow's messages can carry whole SQL statements. */
function oneLine(text: string, max: number): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CanceledError('MLflow mirroring canceled'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CanceledError('MLflow mirroring canceled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
