import { IncomingMessage } from 'node:http';
import type { Context, Hono } from 'hono';
import { BackPressure, EVENT_NAMES, MAX_BODY_BYTES, newEventId, type BatchOutcome, type Collector, type EventSourceInfo, type WriteKeyCheck } from '../../app/index.js';
import { AuthError, GmpError } from '../../core/index.js';
import { tokenBuckets } from './rate-limit.js';

type Json = Record<string, unknown>;
const problem = (c: Context, status: 400 | 401 | 413 | 415 | 429 | 503, code: string, message: string, extra: Json = {}) => c.json({ error: { code, message }, ...extra }, status);

/**
 * The collector's HTTP face, mounted by `gmp collect` (and `gmp serve --collect`): Segment's
 * `/v1/batch` and `/v1/track`, seed 003's `/api/v1/ingest` and seed 004's `/events/{type}`. Every
 * 2xx is sent after the events are durable; a body that cannot be read is kept as a failed event
 * before its 400; a full WAL or a lagging loop answers 503 with Retry-After, never 200-then-drop.
 */
export function registerCollectorRoutes(app: Hono, collector: Collector, access: { check: WriteKeyCheck; defaultRate: number }): void {
  const buckets = tokenBuckets(access.defaultRate);
  /** 429 when the sender's source (or the loopback sender) is over its rate; nothing is taken then. */
  const overRate = (c: Context, source: EventSourceInfo | null, events: number): Response | null => {
    const wait = buckets.take(source?.name ?? '(loopback)', events, source?.eventsPerSecond ?? null);
    if (wait === 0) return null;
    c.header('Retry-After', String(wait));
    return problem(c, 429, 'RATE_LIMITED', `${source ? `source ${source.name}` : 'this sender'} is over its rate of ${source?.eventsPerSecond ?? access.defaultRate} events a second`);
  };
  const withBody = (c: Context, handle: (body: unknown, source: EventSourceInfo | null) => Promise<Response>): Promise<Response> => readBody(c, collector, access.check, handle);

  // The counts are the senders' business too: the same key as for sending.
  app.get('/v1/stats', async (c) => {
    const source = await sender(c, access.check);
    return source instanceof Response ? source : c.json(collector.stats());
  });

  app.post('/v1/batch', (c) =>
    withBody(c, async (body, source) => {
      const batch = (body as { batch?: unknown }).batch;
      if (!Array.isArray(batch)) return problem(c, 400, 'BAD_BATCH', 'a batch is {"batch": [event, …]}');
      const refused = overRate(c, source, batch.length);
      if (refused) return refused;
      const outcome = await collector.accept(batch);
      // Partly refused: 200 with the refused ones named; wholly refused: 400.
      return c.json(outcome, outcome.accepted + outcome.duplicates === 0 && outcome.failed.length > 0 ? 400 : 200);
    }),
  );

  app.post('/v1/track', (c) =>
    withBody(c, async (body, source) => {
      const refused = overRate(c, source, 1);
      if (refused) return refused;
      const outcome = await collector.accept([body]);
      return single(c, outcome, 200);
    }),
  );

  // Seed 003: {user_id, game_id, event_type, timestamp?, …properties} → 202 {"status":"accepted","request_id"}.
  app.post('/api/v1/ingest', (c) =>
    withBody(c, async (body, source) => {
      const refused = overRate(c, source, 1);
      if (refused) return refused;
      const { event_type, event_id, user_id, anonymous_id, session_id, game_id, timestamp, sent_at, ...properties } = body as Json;
      const outcome = await collector.accept([
        dropUndefined({ event_id: event_id ?? newEventId(), event: event_type, user_id, anonymous_id, session_id, game_id, timestamp: timestamp ?? new Date().toISOString(), sent_at, properties }),
      ]);
      return single(c, outcome, 202);
    }),
  );

  // Seed 004: typed telemetry, the event's name in the path.
  app.post('/events/:type', (c) =>
    withBody(c, async (body, source) => {
      const refused = overRate(c, source, 1);
      if (refused) return refused;
      const type = c.req.param('type');
      if (!(EVENT_NAMES as string[]).includes(type)) return problem(c, 400, 'UNKNOWN_EVENT', `no contract for event "${type}"`, { known: EVENT_NAMES });
      const { event_id, user_id, anonymous_id, session_id, game_id, timestamp, sent_at, schema, properties, ...rest } = body as Json;
      const outcome = await collector.accept([
        dropUndefined({ event_id: event_id ?? newEventId(), event: type, schema, user_id, anonymous_id, session_id, game_id, timestamp: timestamp ?? new Date().toISOString(), sent_at, properties: properties ?? rest }),
      ]);
      return single(c, outcome, 202);
    }),
  );
}

function single(c: Context, outcome: BatchOutcome, okStatus: 200 | 202) {
  const failed = outcome.failed[0];
  if (failed) return c.json({ error: { code: failed.reason.toUpperCase(), message: failed.detail }, failed: outcome.failed }, failed.reason === 'too_large' ? 413 : 400);
  return okStatus === 202 ? c.json({ status: 'accepted', request_id: newEventId(), duplicate: outcome.duplicates > 0 }, 202) : c.json(outcome, 200);
}

/** The sender's source by its write key (null where none is needed), or the 401 to answer. */
export async function sender(c: Context, check: WriteKeyCheck): Promise<EventSourceInfo | null | Response> {
  try {
    return await check(c.req.header('authorization'));
  } catch (error) {
    if (error instanceof AuthError) return c.json({ error: { code: error.code, message: error.message, hint: error.hint } }, 401);
    throw error;
  }
}

/**
 * Checks the write key first (an unknown sender gets 401 before anything is read or kept), then
 * reads a JSON body within the limits; maps back-pressure and storage failures to their statuses.
 */
async function readBody(c: Context, collector: Collector, check: WriteKeyCheck, handle: (body: unknown, source: EventSourceInfo | null) => Promise<Response>): Promise<Response> {
  const source = await sender(c, check);
  if (source instanceof Response) return source;
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'UNSUPPORTED_MEDIA_TYPE', 'events are sent as JSON (Content-Type: application/json)');
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return problem(c, 413, 'TOO_LARGE', `the body is ${declared} bytes; at most ${MAX_BODY_BYTES} are accepted`);
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  const text = incoming instanceof IncomingMessage ? await readIncoming(incoming, MAX_BODY_BYTES) : await readLimited(c.req.raw, MAX_BODY_BYTES);
  if (text === null) return problem(c, 413, 'TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
  try {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      await collector.refuseBody(text);
      return problem(c, 400, 'INVALID_JSON', 'the body is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return problem(c, 400, 'BAD_BODY', 'the body must be a JSON object');
    return await handle(body, source);
  } catch (error) {
    if (error instanceof BackPressure) {
      c.header('Retry-After', String(error.retryAfterSeconds));
      return problem(c, 503, 'BUSY', error.message);
    }
    if (error instanceof GmpError) {
      c.header('Retry-After', '5');
      return problem(c, 503, 'NOT_DURABLE', error.message);
    }
    throw error;
  }
}

/**
 * Reads the body straight from Node's request (under @hono/node-server): building the web
 * Request and its stream for it cost a fifth of the collector's CPU on single events. Null past
 * `limit` (the rest is drained by the server); rejects when the client goes away mid-body.
 */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<string | null> {
  if (incoming.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      if (incoming.readableEnded) return onEnd();
      done();
      reject(new Error('the client closed the connection before the body ended'));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
