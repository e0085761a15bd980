import { UsageError, type Logger } from '../core/index.js';
import { closePinnedSnapshots, hasAdmin, openHotStore, shareStateStore, type Workspace } from '../app/index.js';
import { startCollector } from './collector/start-collector.js';
import { createServerApp } from './create-server-app.js';
import { listen, stopListening, urlOf } from './http-listener.js';
import { defaultAllowedHosts, isLoopback } from './middleware/host-allowlist.js';
import { createRunRegistry } from './run-registry.js';

export interface ServeOptions {
  ws: Workspace;
  host: string;
  /** 0 picks a free port. */
  port: number;
  readOnly: boolean;
  /** More Host header values to accept (a reverse proxy's name). */
  allowHosts?: readonly string[];
  logger: Logger;
  /** Also collect events (`--collect`): a collector in this process on its own port, sharing the hot path. */
  collect?: { host: string; port: number; walDir?: string };
}

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  url: string;
  port: number;
  /** The collector's address when started with `collect`. */
  collectorUrl?: string;
  /**
   * Stops accepting, lets requests in flight finish, cancels the runs it launched and waits until
   * each has recorded its end and released its leases, then resolves.
   */
  close(): Promise<void>;
}

/**
 * Starts `gmp serve`. Binds to loopback unless told otherwise; a bind beyond loopback is refused
 * (UsageError) while no admin exists, and there only accounts get in. Resolves once it listens.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const loopback = isLoopback(options.host);
  if (!loopback && !(await hasAdmin(options.ws))) {
    throw new UsageError(`refusing to serve on ${options.host}: beyond loopback only accounts get in, and no admin exists yet`, {
      hint: 'create one first: gmp users add NAME --role admin (or serve on 127.0.0.1, the default)',
    });
  }
  // One state store for every request (a connection per read would cap the server at a few hundred a second).
  const closeState = shareStateStore(options.ws);
  let ready = false;
  let port = options.port;
  let allowed = defaultAllowedHosts(options.host, port, options.allowHosts);
  const registry = createRunRegistry();
  const hot = options.collect || options.ws.config.hotUrl ? await openHotStore(options.ws.config) : undefined;
  const stopEarly = async () => {
    await closeState();
    await hot?.close();
  };
  const collector = options.collect
    ? await startCollector({ ws: options.ws, ...options.collect, logger: options.logger, ...(hot ? { hot } : {}) }).catch(async (error: unknown) => {
        await stopEarly();
        throw error;
      })
    : undefined;
  const app = createServerApp({
    ...(hot ? { hot } : {}),
    ...(collector ? { collectorStats: () => collector.collector.stats() } : {}),
    ws: options.ws,
    registry,
    logger: options.logger,
    get allowedHosts() {
      return allowed;
    },
    readOnly: options.readOnly,
    localMode: loopback,
    ready: () => ({ ready, checks: { http: ready ? 'listening' : 'starting' } }),
  });
  const server = await listen(app.fetch, options.host, options.port).catch(async (error: unknown) => {
    await collector?.close();
    await stopEarly();
    throw error;
  });
  const where = urlOf(options.host, server);
  port = where.port;
  allowed = defaultAllowedHosts(options.host, port, options.allowHosts);
  ready = true;
  return {
    ...where,
    ...(collector ? { collectorUrl: collector.url } : {}),
    close: async () => {
      ready = false;
      const closed = stopListening(server);
      await registry.closeAll();
      await closed;
      await collector?.close();
      await hot?.close();
      await closeState();
      await closePinnedSnapshots();
    },
  };
}
