import { z } from 'zod';

/**
 * Event contracts: one envelope, and per event a versioned schema of its `properties`
 * (`gmp/<event>/<major>-<minor>-<patch>`, as Snowplow's Iglu URIs version them). A minor or patch
 * version only adds optional fields, so an event may name any version of its major; a new major
 * is a new contract.
 */
const text = (max = 200) => z.string().trim().min(1).max(max);
const money = z.number().finite().nonnegative().max(1e9);
const currencyCode = z.string().regex(/^[A-Z]{3}$|^[A-Z0-9_]{2,24}$/, 'an ISO 4217 code (USD) or a virtual currency name (GOLD)');

/** What store interactions share (seed 003). */
const storeContext = {
  referrer_page: text(500).optional(),
  time_spent: z.number().finite().nonnegative().max(86_400).optional().describe('seconds on the page'),
  platform: text(50).optional(),
  search_query: text(500).optional(),
  filters_applied: z.record(z.string().max(100), z.unknown()).optional(),
};

const PROPERTIES = {
  // Store interactions (seed 003)
  view: z.object({ ...storeContext }),
  add_to_cart: z.object({ ...storeContext, price: money.optional(), currency_code: currencyCode.optional() }),
  remove_from_cart: z.object({ ...storeContext }),
  wishlist: z.object({ ...storeContext, action: z.enum(['add', 'remove']).default('add') }),
  review: z.object({ ...storeContext, rating: z.number().int().min(1).max(5), text: z.string().max(5000).optional() }),
  click: z.object({ ...storeContext, element: text(200) }),
  // One purchase for the store and in-game (seeds 001, 003, 004): real money or a virtual currency.
  purchase: z.object({
    ...storeContext,
    item: text(200).optional(),
    quantity: z.number().int().positive().max(10_000).default(1),
    amount: money,
    currency_type: z.enum(['real', 'virtual']).default('real'),
    currency_code: currencyCode,
  }),
  // Game telemetry (seeds 001 and 004)
  session_start: z.object({
    platform: text(50).optional(),
    region: text(50).optional(),
    client_version: text(50).optional(),
    persona: text(50).optional().describe('a segment the client knows the player by (the simulator sends its persona)'),
  }),
  heartbeat: z.object({ fps: z.number().finite().nonnegative().max(1000), latency_ms: z.number().finite().nonnegative().max(600_000), platform: text(50).optional(), region: text(50).optional() }),
  game_start: z.object({ device: text(100), client_version: text(50), platform: text(50).optional(), region: text(50).optional() }),
  game_end: z.object({
    duration: z.number().finite().nonnegative().max(86_400).describe('seconds'),
    score: z.number().finite(),
    level_reached: z.number().int().nonnegative(),
    coins_earned: z.number().finite().nonnegative(),
  }),
  progress: z.object({ level: z.number().int().nonnegative(), xp: z.number().finite().nonnegative(), achievements: z.array(text(100)).max(100).default([]) }),
  level_up: z.object({ level: z.number().int().positive() }),
  resource: z.object({ flow: z.enum(['source', 'sink']), currency: currencyCode, amount: money, reason: text(100).optional() }),
} as const;

export type EventName = keyof typeof PROPERTIES;
export const EVENT_NAMES = Object.keys(PROPERTIES) as EventName[];
export const STORE_EVENTS: readonly EventName[] = ['view', 'add_to_cart', 'remove_from_cart', 'wishlist', 'purchase', 'review', 'click'];
/** The current version of every contract. */
export const SCHEMA_VERSION = '1-0-0';
export const schemaId = (event: EventName): string => `gmp/${event}/${SCHEMA_VERSION}`;

/** Bytes an event may take as JSON, and a request body. */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

const isoTime = z.string().datetime({ offset: true });

const Envelope = z
  .object({
    event_id: z.string().uuid(),
    event: z.string().min(1).max(64),
    schema: z.string().regex(/^gmp\/[a-z_]+\/\d+-\d+-\d+$/, 'gmp/<event>/<major>-<minor>-<patch>').optional(),
    user_id: text(128).optional(),
    anonymous_id: text(128).optional(),
    session_id: text(128).optional(),
    game_id: z.number().int().positive().max(2 ** 31 - 1).optional().describe('a RAWG game id'),
    timestamp: isoTime,
    sent_at: isoTime.optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** An event as the collector keeps it: the envelope checked, properties typed, times stamped. */
export interface CollectedEvent {
  event_id: string;
  event: EventName;
  schema: string;
  user_id: string | null;
  anonymous_id: string | null;
  session_id: string | null;
  game_id: number | null;
  /** The client's clock. */
  timestamp: string;
  sent_at: string | null;
  /** The collector's clock when the request arrived. */
  received_at: string;
  /** The client's time corrected for its clock skew (`timestamp + received_at − sent_at`), else `timestamp`. */
  event_time: string;
  collector_id: string;
  properties: Record<string, unknown>;
}

/** Why an event was refused: kept in `failed_events` with the payload, never dropped in silence. */
export interface FailedEvent {
  event_id: string | null;
  reason: 'invalid_json' | 'too_large' | 'schema_violation' | 'unknown_event' | 'unknown_schema_version' | 'no_user' | 'too_late';
  detail: string;
  received_at: string;
  collector_id: string;
  /** The event as sent (cut to 32 KB). */
  payload: string;
}

/** A checked event, with its JSON (the log writes it as is: one serialization per event). */
export type Checked = { ok: true; event: CollectedEvent; json: string } | { ok: false; failure: FailedEvent };

/**
 * Checks one event against the envelope and its contract and stamps it. Pure: `receivedAt` and
 * `collectorId` come from the caller.
 */
export function checkEvent(raw: unknown, receivedAt: Date, collectorId: string): Checked {
  const at = receivedAt.toISOString();
  const fail = (reason: FailedEvent['reason'], detail: string, payload = safeJson(raw)): Checked => ({
    ok: false,
    failure: { event_id: typeof (raw as { event_id?: unknown })?.event_id === 'string' ? String((raw as { event_id: string }).event_id).slice(0, 64) : null, reason, detail, received_at: at, collector_id: collectorId, payload: payload.slice(0, MAX_EVENT_BYTES) },
  });
  const tooLarge = (payload: string): Checked | null => {
    const bytes = Buffer.byteLength(payload);
    return bytes > MAX_EVENT_BYTES ? fail('too_large', `the event is ${bytes} bytes; at most ${MAX_EVENT_BYTES} are accepted`, payload) : null;
  };
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) {
    const payload = safeJson(raw);
    return tooLarge(payload) ?? fail('schema_violation', describe(envelope.error), payload);
  }
  const e = envelope.data;
  if (!(EVENT_NAMES as string[]).includes(e.event)) return fail('unknown_event', `no contract for event "${e.event}" (known: ${EVENT_NAMES.join(', ')})`);
  const name = e.event as EventName;
  if (e.schema !== undefined) {
    const [, event, version] = e.schema.split('/');
    if (event !== name) return fail('schema_violation', `schema ${e.schema} is not a schema of event "${name}"`);
    if (version!.split('-')[0] !== SCHEMA_VERSION.split('-')[0]) return fail('unknown_schema_version', `no contract ${e.schema}: the current one is ${schemaId(name)}`);
  }
  if (!e.user_id && !e.anonymous_id) return fail('no_user', 'an event needs user_id or anonymous_id');
  const props = PROPERTIES[name].safeParse(e.properties);
  if (!props.success) {
    const payload = safeJson(raw);
    return tooLarge(payload) ?? fail('schema_violation', describe(props.error, 'properties'), payload);
  }
  const client = Date.parse(e.timestamp);
  const skew = e.sent_at ? receivedAt.getTime() - Date.parse(e.sent_at) : 0;
  const event: CollectedEvent = {
    event_id: e.event_id.toLowerCase(),
    event: name,
    schema: e.schema ?? schemaId(name),
    user_id: e.user_id ?? null,
    anonymous_id: e.anonymous_id ?? null,
    session_id: e.session_id ?? null,
    game_id: e.game_id ?? null,
    timestamp: new Date(client).toISOString(),
    sent_at: e.sent_at ? new Date(Date.parse(e.sent_at)).toISOString() : null,
    received_at: at,
    event_time: new Date(client + skew).toISOString(),
    collector_id: collectorId,
    properties: props.data as Record<string, unknown>,
  };
  // Measured once stamped (the stamps add about 300 bytes): the JSON the log keeps is this one.
  const json = JSON.stringify(event);
  if (Buffer.byteLength(json) > MAX_EVENT_BYTES + STAMP_BYTES) return tooLarge(safeJson(raw)) ?? fail('too_large', `the event is over ${MAX_EVENT_BYTES} bytes`);
  return { ok: true, event, json };
}

/** Room for what the collector adds to an event (times, ids, the schema). */
const STAMP_BYTES = 512;

/** A failure for a body that is not JSON at all (the request gets 400; the body is kept). */
export function unparseable(body: string, receivedAt: Date, collectorId: string): FailedEvent {
  return { event_id: null, reason: 'invalid_json', detail: 'the body is not JSON', received_at: receivedAt.toISOString(), collector_id: collectorId, payload: body.slice(0, MAX_EVENT_BYTES) };
}

function describe(error: z.ZodError, under?: string): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[under, ...i.path.map(String)].filter(Boolean).join('.') || 'event'}: ${i.message}`)
    .join('; ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}
