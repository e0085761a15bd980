import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

/** Listens on `host:port` (0 picks a free port); resolves once listening, rejects on a bind error. */
export function listen(fetch: (request: Request) => Response | Promise<Response>, host: string, port: number): Promise<ServerType> {
  return new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Stops accepting and resolves once requests in flight finished (idle keep-alive connections would hold it open: they are closed). */
export function stopListening(server: ServerType): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}

/** `http://127.0.0.1:3000`, `http://[::1]:3000`: where a listening server answers. */
export function urlOf(host: string, server: ServerType): { url: string; port: number } {
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port };
}
