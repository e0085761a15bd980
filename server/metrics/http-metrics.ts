import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * HTTP metrics for a Hono app, into `registry`: requests by route, method and status, their
 * duration, and requests in flight. The route is the matched pattern (`/api/v1/runs/:runId`),
 * never the raw path, so label values stay bounded; a request no route matches is `(unmatched)`.
 * Mount it first, before anything that may answer.
 */
export function httpMetrics(registry: Registry): MiddlewareHandler {
  const requests = new Counter({ name: 'gmp_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'gmp_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until its headers), by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'gmp_http_requests_in_flight', help: 'HTTP requests being answered now', registers: [registry] });
  // Label children made once per route, method and status: no label objects built and validated per request.
  const children = new Map<string, { duration: Histogram.Internal<string>; byStatus: Map<number, Counter.Internal> }>();
  const childrenOf = (route: string, method: string) => {
    const key = `${method} ${route}`;
    let found = children.get(key);
    if (found === undefined) {
      found = { duration: duration.labels(route, method), byStatus: new Map() };
      children.set(key, found);
    }
    return found;
  };
  return async (c, next) => {
    const started = performance.now();
    inFlight.inc();
    try {
      await next();
    } finally {
      inFlight.dec();
      const route = routeOf(c);
      const method = c.req.method;
      const child = childrenOf(route, method);
      const status = c.res.status;
      let counter = child.byStatus.get(status);
      if (counter === undefined) {
        counter = requests.labels(route, method, String(status));
        child.byStatus.set(status, counter);
      }
      counter.inc();
      child.duration.observe((performance.now() - started) / 1000);
    }
  };
}

/**
 * The pattern of the handler that answered; when a middleware answered (a 401, a 413) the route
 * that would have, so a refused request counts against its route too.
 */
function routeOf(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== 'ALL') return answered.path;
  return routes.find((r) => r.method !== 'ALL')?.path ?? '(unmatched)';
}
