import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';

/**
 * Answers 421 to a request whose Host is not one this server is bound to or told to accept: a page
 * on another site that resolves its own name to 127.0.0.1 (DNS rebinding) cannot talk to it.
 */
export function hostAllowlist(allowed: () => ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!allowed().has(host)) {
      throw new HttpProblem(421, 'MISDIRECTED', `this server does not answer for host "${host}"`, 'use the address gmp serve printed, or add the name with --allow-host');
    }
    await next();
  };
}

/** `127.0.0.1:3000`, `localhost:3000`, `[::1]:3000` for a loopback bind; the bound host:port otherwise. */
export function defaultAllowedHosts(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host];
  return new Set([...names.map((n) => `${n}:${port}`), ...extra.map((h) => h.toLowerCase())]);
}

/** True for the addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
