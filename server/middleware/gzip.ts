import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { constants, createGzip, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

const gzipAsync = promisify(gzip);
/** What is worth compressing: text (not the SSE stream, which must flow), JSON, JavaScript, SVG. */
const COMPRESSIBLE = /^(?:text\/(?!event-stream)|application\/(?:json|javascript)|image\/svg\+xml)/i;
const MIN_BYTES = 1024;
/** Level 5: nearly level 9's size at a third of its time for JSON and HTML of this size. */
const LEVEL = 5;

/**
 * gzip for clients that accept it, on zlib's thread pool (off the event loop, so a second core
 * helps; the web CompressionStream did it on the main thread at half the throughput). Bodies with
 * a length are compressed whole; streamed bodies (a CSV export) are compressed as they flow.
 * `Cache-Control: no-transform` opts a response out.
 */
export function gzipResponses(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (!res.body || res.status === 204 || res.status === 206 || res.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return;
    if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '')) return;
    res.headers.append('vary', 'accept-encoding');
    if (!/\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) return;
    const length = res.headers.get('content-length');
    const headers = new Headers(res.headers);
    headers.set('content-encoding', 'gzip');
    headers.delete('content-length');
    if (length !== null) {
      if (Number(length) < MIN_BYTES) return;
      const body = await gzipAsync(Buffer.from(await res.arrayBuffer()), { level: LEVEL });
      headers.set('content-length', String(body.length));
      c.res = new Response(body, { status: res.status, headers });
      return;
    }
    const stream = Readable.fromWeb(res.body as WebReadableStream).pipe(createGzip({ level: LEVEL, flush: constants.Z_SYNC_FLUSH }));
    c.res = new Response(Readable.toWeb(stream) as ReadableStream, { status: res.status, headers });
  };
}
