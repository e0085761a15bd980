import pLimit from 'p-limit';
import { CanceledError, HttpError, redactText, type Logger, silentLogger } from '../../core/index.js';
import { createTokenBucket, systemMonotonicClock, type MonotonicClock, type TokenBucket } from './token-bucket.js';

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent as the `key` query parameter (RAWG's scheme); never logged. */
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
  requestsPerSecond: number;
  concurrency: number;
  userAgent?: string;
  logger?: Logger;
  /** Backoff base and cap for retries (jittered exponential). */
  backoff?: { baseMs: number; maxMs: number };
  /** Longest `Retry-After` honoured; longer waits fail the request instead of stalling a run. */
  maxRetryAfterMs?: number;
  random?: () => number;
  /**
   * Awaited before every request is sent (retries included); throws (e.g. BudgetError) to refuse
   * it. The request budget hooks in here, so no request is sent that was not charged first.
   */
  reserve?: () => Promise<void>;
  /** The time the rate limit and the retry waits run on (default: the system's; tests inject one). */
  clock?: MonotonicClock;
}

export interface GetOptions {
  signal?: AbortSignal;
  /** Called once per request actually sent (retries included): the request budget's meter. */
  onAttempt?: () => void;
  /** Validates a parsed body; a thrown error marks the response malformed (retried, then fatal). */
  validate?: (body: unknown) => void;
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  /** The request URL with the key removed — safe to log and store. */
  url: string;
  attempts: number;
}

export interface HttpClient {
  /** GET `path` with `params` and the key; retries transient failures; throws HttpError otherwise. */
  getJson<T = unknown>(path: string, params: Record<string, string | number>, options?: GetOptions): Promise<JsonResponse<T>>;
}

/**
 * An HTTP JSON client for key-in-query APIs: per-request timeout, jittered exponential backoff on
 * 429/5xx/network/timeout/unreadable bodies honouring `Retry-After`, a token-bucket rate limit, a
 * concurrency cap, and the key redacted from every URL, log line and error.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemMonotonicClock;
  const bucket: TokenBucket = createTokenBucket({ ratePerSecond: options.requestsPerSecond, clock });
  const limit = pLimit(options.concurrency);
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const random = options.random ?? Math.random;
  const userAgent = options.userAgent ?? 'game-market-pipeline (+https://github.com/game-market-pipeline)';

  function buildUrl(path: string, params: Record<string, string | number>): { real: URL; safe: string } {
    const real = new URL(options.baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(params)) real.searchParams.set(k, String(v));
    const safe = real.toString();
    if (options.apiKey !== undefined) real.searchParams.set('key', options.apiKey);
    return { real, safe };
  }

  async function attempt<T>(url: URL, safeUrl: string, opts: GetOptions): Promise<JsonResponse<T>> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let response: Response;
    try {
      opts.onAttempt?.();
      response = await fetch(url, { signal, headers: { 'user-agent': userAgent, accept: 'application/json' } });
    } catch (cause) {
      throw transportError(cause, safeUrl, opts.signal, timeout);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw transportError(cause, safeUrl, opts.signal, timeout, 'while reading the body');
    }
    if (!response.ok) throw statusError(response, text, safeUrl);
    let body: unknown;
    try {
      body = JSON.parse(text);
      opts.validate?.(body);
    } catch (cause) {
      throw new HttpError('HTTP_BAD_BODY', `malformed response from ${safeUrl}: ${(cause as Error).message}`, {
        cause,
        retryable: true,
        status: response.status,
        context: { url: safeUrl, bytes: text.length },
      });
    }
    return { status: response.status, body: body as T, url: safeUrl, attempts: 1 };
  }

  return {
    async getJson<T>(path: string, params: Record<string, string | number>, opts: GetOptions = {}) {
      const { real, safe } = buildUrl(path, params);
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          const result = await limit(async () => {
            await bucket.take(opts.signal);
            await options.reserve?.();
            return attempt<T>(real, safe, opts);
          });
          return { ...result, attempts: attemptNo };
        } catch (error) {
          if (!(error instanceof HttpError) || !error.retryable || attemptNo > options.maxRetries) throw error;
          const waitMs = retryDelay(error, attemptNo);
          if (waitMs > maxRetryAfterMs) throw error;
          logger.warn({ url: safe, attempt: attemptNo, code: error.code, status: error.status, waitMs }, 'retrying request');
          await clock.sleep(waitMs, opts.signal);
        }
      }
    },
  };

  function retryDelay(error: HttpError, attemptNo: number): number {
    const retryAfter = error.context.retryAfterMs;
    if (typeof retryAfter === 'number') return retryAfter;
    const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attemptNo - 1));
    return Math.round(exp / 2 + random() * (exp / 2));
  }
}

function transportError(
  cause: unknown,
  url: string,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  phase = '',
): Error {
  if (callerSignal?.aborted) return new CanceledError(`request to ${url} canceled`);
  const where = phase ? ` ${phase}` : '';
  if (timeout.aborted) {
    return new HttpError('HTTP_TIMEOUT', `request to ${url} timed out${where}`, { cause, retryable: true, context: { url } });
  }
  const detail = describeNetworkCause(cause);
  return new HttpError('HTTP_NETWORK', `network error${where} for ${url}: ${detail}`, {
    cause,
    retryable: true,
    context: { url },
    hint: 'check RAWG_BASE_URL and your network connection',
  });
}

function describeNetworkCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (inner?.code) return `${inner.code}${inner.message ? ` (${inner.message})` : ''}`;
  return cause instanceof Error ? cause.message : String(cause);
}

function statusError(response: Response, text: string, url: string): HttpError {
  const status = response.status;
  const snippet = redactText(text.slice(0, 200).replace(/\s+/g, ' '));
  if (status === 401 || status === 403) {
    return new HttpError('HTTP_UNAUTHORIZED', `${url} answered ${status}: ${snippet}`, {
      status,
      retryable: false,
      context: { url },
      hint: 'check RAWG_API_KEY (get a key at https://rawg.io/apidocs); an exhausted monthly quota also answers 401',
    });
  }
  const retryable = status === 429 || status >= 500;
  const context: Record<string, unknown> = { url, body: snippet };
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  if (retryAfter !== undefined) context.retryAfterMs = retryAfter;
  return new HttpError('HTTP_STATUS', `${url} answered ${status}: ${snippet}`, { status, retryable, context });
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
