import type { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { getRun, pageRunEvents, type Workspace } from '../../app/index.js';

/** How often the live tail looks for new events (the state store is the source of truth). */
const POLL_MS = 500;

/**
 * GET /api/v1/runs/{runId}/events/stream?after=ID: the run's new events as Server-Sent Events
 * (`event: event`, data = the event as JSON), then `event: end` once the run has finished.
 */
export function registerStreamRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.get('/api/v1/runs/:runId/events/stream', async (c) => {
    const runId = c.req.param('runId');
    await getRun(ws, runId); // 404 before the stream opens
    let after = Number(c.req.query('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) after = 0;
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const page = await pageRunEvents(ws, runId, { limit: 500, ...(after > 0 ? { cursor: Buffer.from(String(after)).toString('base64url') } : {}) });
        for (const e of page.events) {
          after = e.id ?? after;
          await stream.writeSSE({ event: 'event', id: String(e.id), data: JSON.stringify({ id: e.id, ts: e.ts, type: e.type, asset: e.asset, partition: e.partition, message: e.message }) });
        }
        if (page.next !== null) continue;
        if ((await getRun(ws, runId)).status !== 'running') {
          await stream.writeSSE({ event: 'end', data: '{}' });
          break;
        }
        await stream.sleep(POLL_MS);
      }
    });
  });
}
