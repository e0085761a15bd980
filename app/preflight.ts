import net from 'node:net';
import { HttpError } from '../core/index.js';

/**
 * Opens (and closes) a TCP connection to the API's host, so an unreachable base URL fails in
 * milliseconds with one clear line instead of after minutes of retries. Sends no HTTP request:
 * nothing is charged to the request budget.
 */
export async function assertReachable(baseUrl: string, timeoutMs = 5000): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (reason: string, cause?: unknown): void => {
      socket.destroy();
      reject(
        new HttpError('HTTP_NETWORK', `cannot reach ${url.origin} (RAWG_BASE_URL): ${reason}`, {
          cause,
          retryable: true,
          hint: 'check RAWG_BASE_URL and your network; `gmp demo` needs no network (it starts the sandbox)',
        }),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message, error));
  });
}
