import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { eventLevel, getRunStatus, pageRunEvents, type Workspace } from '../../app/index.js';
import { ErrorBodySchema } from './schemas.js';

/** How often the live tail looks for new events (the state store is the source of truth). */
const POLL_MS = 500;
const PATH = '/api/v1/runs/{runId}/events/stream';

/**
 * GET /api/v1/runs/{runId}/events/stream?after=ID: the run's new events as Server-Sent Events
 * (`event: event`, `id` = the event id, data = the event as JSON), then `event: end` once the run
 * has finished. A reconnecting EventSource resumes after its `Last-Event-ID`.
 */
export function registerStreamRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: PATH,
    tags: ['runs'],
    summary: "A run's new events, live, as Server-Sent Events",
    description:
      'Each event arrives as `event: event` with the event (as in /events) as JSON data and its id as the SSE id; `event: end` follows once the run has finished. Reconnecting with `Last-Event-ID` resumes after that event.',
    request: {
      params: z.object({ runId: z.string().min(1).max(100).openapi({ param: { name: 'runId', in: 'path' } }) }),
      query: z.object({ after: z.string().regex(/^\d+$/).optional().openapi({ description: 'send events after this id (default: from the first)' }) }),
    },
    responses: {
      200: { description: 'the stream', content: { 'text/event-stream': { schema: z.string() } } },
      404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });

  api.get('/api/v1/runs/:runId/events/stream', async (c) => {
    const runId = c.req.param('runId');
    await getRunStatus(ws, runId); // 404 before the stream opens
    let after = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) after = 0;
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const page = await pageRunEvents(ws, runId, { limit: 500, afterId: after });
        for (const e of page.events) {
          after = e.id ?? after;
          const data = { id: e.id, ts: e.ts, type: e.type, level: eventLevel(e.type), asset: e.asset, partition: e.partition, message: e.message };
          await stream.writeSSE({ event: 'event', id: String(e.id), data: JSON.stringify(data) });
        }
        if (page.next !== null) continue;
        if ((await getRunStatus(ws, runId)) !== 'running') {
          await stream.writeSSE({ event: 'end', data: '{}' });
          break;
        }
        await stream.sleep(POLL_MS);
      }
    });
  });
}
