import type { CollectorStats, HotStore } from '../app/index.js';
import { registerPlayerPages } from './routes/player-pages.js';
import { documentHotRoutes, registerHotRoutes } from './api/hot-routes.js';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '../core/index.js';
import type { Workspace } from '../app/index.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Registry } from 'prom-client';
import { registerAccountRoutes } from './api/account-routes.js';
import { registerLaunchRoutes } from './api/launch-routes.js';
import { createLoginThrottle } from './login-throttle.js';
import { authenticateRequests } from './middleware/authenticate.js';
import { registerMarketRoutes } from './api/market-routes.js';
import { registerMlRoutes } from './api/ml-routes.js';
import { registerFavoriteRoutes } from './api/favorite-routes.js';
import { registerOpsRoutes } from './api/ops-routes.js';
import { registerSqlRoutes } from './api/sql-routes.js';
import { registerStreamRoutes } from './api/stream-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import { registerDashboardRoutes } from './routes/dashboard-routes.js';
import { registerReadRoutes } from './api/read-routes.js';
import { ErrorBodySchema, HealthSchema, ReadySchema } from './api/schemas.js';
import { problemOf } from './http-problem.js';
import { mutationGuard } from './middleware/mutation-guard.js';
import { accessLog } from './middleware/access-log.js';
import { gzipResponses } from './middleware/gzip.js';
import { hostAllowlist } from './middleware/host-allowlist.js';
import { securityHeaders } from './middleware/security-headers.js';
import { renderApiDocs } from './pages/api-docs.js';
import { errorPage } from './pages/error-page.js';
import { createRunRegistry, type RunRegistry } from './run-registry.js';
import { serveStatic } from './static-files.js';
import { httpMetrics, metricsResponse, registerPipelineMetrics } from './metrics/index.js';

export interface ServerAppOptions {
  ws: Workspace;
  logger: Logger;
  /** Host header values this server answers (DNS-rebinding guard). */
  allowedHosts: ReadonlySet<string>;
  /** Every mutation refused. */
  readOnly: boolean;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /**
   * Loopback-only bind: while no account exists, requests act as the local admin (the header says
   * so). False beyond loopback, where only signed-in users and tokens get in.
   */
  localMode: boolean;
  /** Runs and backfills this server launched (default: a new registry). */
  registry?: RunRegistry;
  /** The hot path (recent views, live sessions) when this server has one: `--collect` or GMP_HOT_URL. */
  hot?: HotStore;
  /** The in-process collector's counts (`--collect`), for the live-ops page. */
  collectorStats?: () => CollectorStats;
  /** Whether the server is ready to serve (false while it starts or after it began to stop). */
  ready?: () => { ready: boolean; checks: Record<string, string> };
}

export const API_VERSION = '1';

/**
 * The `gmp serve` application: the HTTP API under /api/v1 (each route a zod schema, which is also
 * its OpenAPI 3.1 document at /api/v1/openapi.json), /api/docs, /healthz and /readyz. Every error
 * answers `{"error": {code, message, hint}}` with its status.
 */
export function createServerApp(options: ServerAppOptions): OpenAPIHono {
  const api = new OpenAPIHono({
    // A request that fails its schema answers the one error body too.
    defaultHook: (result, c) => {
      if (!result.success) {
        const message = result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
        return c.json({ error: { code: 'BAD_REQUEST', message, hint: 'see /api/v1/openapi.json for what this route accepts' } }, 400);
      }
      return undefined;
    },
  });
  api.onError((error, c) => {
    const { status, body, headers } = problemOf(error);
    // A page (not the API, not /metrics) asked by someone not signed in: the sign-in page, then back here.
    if (!c.req.path.startsWith('/api/') && c.req.path !== '/metrics') {
      if (status === 401) return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      return c.html(errorPage(status, body.error.message, body.error.hint), status as 400);
    }
    if (status >= 500) options.logger.error({ err: error instanceof Error ? error.message : String(error), path: c.req.path }, 'request failed');
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return c.json(body, status as 400);
  });
  api.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}`, hint: 'see /api/v1/openapi.json, or /api/docs' } }, 404)
      : c.html(errorPage(404, `nothing at ${c.req.path}`, 'start from the overview'), 404),
  );
  // One registry per app: several servers may run in one process (tests).
  const metrics = new Registry();
  api.use('*', httpMetrics(metrics));
  // gzip for whoever accepts it (pages, JSON, scripts); never for the SSE stream.
  api.use('*', gzipResponses(), accessLog(options.logger), securityHeaders(), hostAllowlist(() => options.allowedHosts));
  api.use('*', mutationGuard({ readOnly: options.readOnly, maxBodyBytes: options.maxBodyBytes ?? 1_000_000 }));
  api.use('*', authenticateRequests({ ws: options.ws, localMode: () => options.localMode }));

  api.get('/healthz', (c) => c.json(HealthSchema.parse({ status: 'ok' })));
  api.get('/readyz', (c) => {
    const state = options.ready?.() ?? { ready: true, checks: {} };
    return c.json(ReadySchema.parse({ status: state.ready ? 'ready' : 'not ready', checks: state.checks }), state.ready ? 200 : 503);
  });
  // Behind the same sign-in as the API (a bearer token for Prometheus; none in loopback local-admin mode).
  registerPipelineMetrics(metrics, options.ws);
  api.get('/metrics', () => metricsResponse(metrics));
  serveStatic(api);
  registerReadRoutes(api, options.ws);
  registerOpsRoutes(api, options.ws);
  registerMarketRoutes(api, options.ws);
  registerMlRoutes(api, options.ws);
  registerSqlRoutes(api, options.ws);
  registerFavoriteRoutes(api, options.ws);
  registerLaunchRoutes(api, options.ws, options.registry ?? createRunRegistry());
  registerStreamRoutes(api, options.ws);
  registerHotRoutes(api, options.hot, async () => null);
  documentHotRoutes(api);
  registerPageRoutes(api, options.ws, { readOnly: options.readOnly });
  registerPlayerPages(api, options.ws, { readOnly: options.readOnly }, { ...(options.hot ? { hot: options.hot } : {}), ...(options.collectorStats ? { collectorStats: options.collectorStats } : {}) });
  registerDashboardRoutes(api, options.ws, { readOnly: options.readOnly });
  registerAccountRoutes(api, options.ws, createLoginThrottle(), (c) => {
    try {
      return getConnInfo(c as never).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  });
  api.openAPIRegistry.register('Error', ErrorBodySchema);
  api.get('/api/v1/openapi.json', (c) => c.json(openApiDocument(api)));
  api.get('/api/docs', (c) => c.html(renderApiDocs(openApiDocument(api))));
  return api;
}

/** The OpenAPI 3.1 document of every /api/v1 route. */
export function openApiDocument(api: OpenAPIHono): ReturnType<OpenAPIHono['getOpenAPI31Document']> {
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Game Market Pipeline API',
      version: API_VERSION,
      description: 'The HTTP face of gmp: assets, partitions as ranges, runs and their events. Errors answer {"error": {"code", "message", "hint"}}. Asset keys in paths are URL-encoded (rawg%2Fgames).',
    },
  });
}
