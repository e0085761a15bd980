import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../core/index.js';

/**
 * One log line per request: method, path (no query string: it may carry a token), status and
 * duration. The logger redacts whatever else might hold a secret.
 */
export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t0) }, 'http');
  };
}
