import type { Registry } from 'prom-client';

/** The registry in the Prometheus text exposition format (0.0.4). */
export async function metricsResponse(registry: Registry): Promise<Response> {
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
