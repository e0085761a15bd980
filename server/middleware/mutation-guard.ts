import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';

/**
 * Every request that changes something must be a same-origin JSON request: a page on another site
 * can neither send JSON without a preflight nor pass these checks (cross-site → 403). Reads pass.
 */
const READS_BY_POST = new Set(['/api/v1/sql', '/api/v1/sql.csv']);

export function mutationGuard(options: { readOnly: boolean; maxBodyBytes: number }): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    // A POST that only reads (the SQL console's query) stays open on a read-only server.
    if (options.readOnly && !READS_BY_POST.has(c.req.path)) throw new HttpProblem(403, 'READ_ONLY', 'this server is read-only (--read-only): it changes nothing', 'run gmp serve without --read-only to launch or cancel runs');
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > options.maxBodyBytes) throw new HttpProblem(413, 'TOO_LARGE', `the request body is ${length} bytes; at most ${options.maxBodyBytes} are accepted`);
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new HttpProblem(403, 'CROSS_SITE', 'a request from another site cannot change anything here', 'send it from this server’s own pages, or from a client that is not a browser');
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null') {
      const host = c.req.header('host');
      if (new URL(origin).host !== host) throw new HttpProblem(403, 'CROSS_SITE', `origin ${origin} may not change anything here`);
    } else if (origin === 'null') {
      throw new HttpProblem(403, 'CROSS_SITE', 'an opaque origin may not change anything here');
    }
    // DELETE carries no body; everything else that changes something is JSON.
    if (method !== 'DELETE' && !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'changes are sent as JSON', 'send Content-Type: application/json with a JSON body');
    }
    await next();
  };
}
