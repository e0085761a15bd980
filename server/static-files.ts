import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { packageRoot } from '../core/index.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

/**
 * GET /static/<file>: the built client islands and stylesheet (dist/server/static, made by
 * `npm run build`), cached by the browser for an hour; nothing outside that folder is reachable.
 */
export function serveStatic(app: OpenAPIHono, dir = path.join(packageRoot(), 'dist', 'server', 'static')): void {
  app.get('/static/:file{[A-Za-z0-9._-]+}', async (c) => {
    const file = c.req.param('file');
    const type = TYPES[path.extname(file)];
    if (type === undefined || file.startsWith('.')) return c.notFound();
    try {
      const body = await readFile(path.join(dir, file));
      return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' });
    } catch {
      return c.notFound();
    }
  });
}
