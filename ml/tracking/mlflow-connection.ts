import { registerSecret } from '../../core/index.js';
import { MlflowError } from './mlflow-error.js';

export interface MlflowOptions {
  /** `http(s)://host:port[/prefix]` of the tracking server (MLFLOW_TRACKING_URI). */
  trackingUri: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Where MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Per request; artifact uploads get ten times as long. 30 s by default. */
  timeoutMs?: number;
}

/** A tracking server to talk to: its base URL without credentials (safe to print) and the auth header. */
export interface MlflowConnection {
  baseUrl: string;
  authorization: string | undefined;
  fetch: typeof fetch;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Validates the tracking URI and resolves credentials as MLflow's own client does: a bearer token
 * first, else basic auth from the username and password (or from the URI's user info, which fetch
 * refuses to send itself). Credentials are registered as secrets; throws MlflowError (CONFIG_INVALID).
 */
export function resolveMlflowConnection(options: MlflowOptions): MlflowConnection {
  const env = options.env ?? process.env;
  let url: URL;
  try {
    url = new URL(options.trackingUri);
  } catch (cause) {
    throw new MlflowError('CONFIG_INVALID', 'MLFLOW_TRACKING_URI is not a URL', { cause, hint: 'set it to the tracking server, e.g. http://127.0.0.1:5000' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MlflowError('CONFIG_INVALID', `MLFLOW_TRACKING_URI must be an http(s) URL of a tracking server, not ${url.protocol}`, {
      hint: 'gmp logs to an MLflow tracking server over its REST API; start one with `mlflow server` and point MLFLOW_TRACKING_URI at it',
    });
  }
  const user = decodeURIComponent(url.username) || env.MLFLOW_TRACKING_USERNAME;
  const password = decodeURIComponent(url.password) || env.MLFLOW_TRACKING_PASSWORD;
  const token = env.MLFLOW_TRACKING_TOKEN;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  for (const secret of [token, password]) registerSecret(secret);

  let authorization: string | undefined;
  if (token) authorization = `Bearer ${token}`;
  else if (user && password) authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  if (authorization !== undefined) registerSecret(authorization.slice(authorization.indexOf(' ') + 1));

  return {
    baseUrl: url.toString().replace(/\/+$/, ''),
    authorization,
    fetch: options.fetch ?? fetch,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}
