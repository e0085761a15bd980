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
  const at = receivedIso(receivedAt);
  const fail = (reason: FailedEvent['reason'], detail: string, payload = safeJson(raw)): Checked => ({
    ok: false,
    failure: { event_id: typeof (raw as { event_id?: unknown })?.event_id === 'string' ? String((raw as { event_id: string }).event_id).slice(0, 64) : null, reason, detail, received_at: at, collector_id: collectorId, payload: payload.slice(0, MAX_EVENT_BYTES) },
  });
  const tooLarge = (payload: string): Checked | null => {
    const bytes = Buffer.byteLength(payload);
    return bytes > MAX_EVENT_BYTES ? fail('too_large', `the event is ${bytes} bytes; at most ${MAX_EVENT_BYTES} are accepted`, payload) : null;
  };
  // The common case is checked by hand; anything it does not vouch for gets zod's verdict and words.
  let e = plainEnvelope(raw);
  if (e === undefined) {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      const payload = safeJson(raw);
      return tooLarge(payload) ?? fail('schema_violation', describe(envelope.error), payload);
    }
    e = envelope.data;
  }
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
  const timestamp = isoOf(e.timestamp, client);
  const event: CollectedEvent = {
    event_id: e.event_id.toLowerCase(),
    event: name,
    schema: e.schema ?? schemaId(name),
    user_id: e.user_id ?? null,
    anonymous_id: e.anonymous_id ?? null,
    session_id: e.session_id ?? null,
    game_id: e.game_id ?? null,
    timestamp,
    sent_at: e.sent_at ? isoOf(e.sent_at, Date.parse(e.sent_at)) : null,
    received_at: at,
    event_time: skew === 0 ? timestamp : new Date(client + skew).toISOString(),
    collector_id: collectorId,
    properties: props.data as Record<string, unknown>,
  };
  // Measured once stamped (the stamps add about 300 bytes): the JSON the log keeps is this one.
  const json = eventJson(event);
  if (Buffer.byteLength(json) > MAX_EVENT_BYTES + STAMP_BYTES) return tooLarge(safeJson(raw)) ?? fail('too_large', `the event is over ${MAX_EVENT_BYTES} bytes`);
  return { ok: true, event, json };
}

/** Whether JSON.stringify escapes anything in `s` (a quote, a backslash, a control, a surrogate). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
const jsonText = (s: string | null): string => (s === null ? 'null' : needsEscape(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * `JSON.stringify(event)`, byte for byte, at a third of its cost: the checked fields (id, name,
 * schema, times) hold nothing to escape, the others are escaped only when they need it. The order
 * is the object's (the lake commit finds event_time before properties).
 */
function eventJson(e: CollectedEvent): string {
  return (
    `{"event_id":"${e.event_id}","event":"${e.event}","schema":"${e.schema}","user_id":${jsonText(e.user_id)},"anonymous_id":${jsonText(e.anonymous_id)},` +
    `"session_id":${jsonText(e.session_id)},"game_id":${e.game_id === null ? 'null' : String(e.game_id)},"timestamp":"${e.timestamp}",` +
    `"sent_at":${jsonText(e.sent_at)},"received_at":"${e.received_at}","event_time":"${e.event_time}","collector_id":${jsonText(e.collector_id)},"properties":${JSON.stringify(e.properties)}}`
  );
}

type Envelope = z.output<typeof Envelope>;
const ENVELOPE_KEYS = new Set(Object.keys(Envelope.shape));
const UUID = z.regexes.uuid();
const ISO_TIME = z.regexes.datetime({ offset: true, local: false });
const SCHEMA_ID = /^gmp\/[a-z_]+\/\d+-\d+-\d+$/;
/** What toISOString() writes for years 0000-9999: such a time is its own ISO form. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The envelope as zod would give it, for a plain JSON object that passes every rule with nothing
 * to transform; undefined for anything else (then zod decides, and words the refusal). It must
 * never accept what `Envelope` refuses: contracts.test.ts runs both over tricky inputs.
 */
function plainEnvelope(raw: unknown): Envelope | undefined {
  if (raw === null || typeof raw !== 'object' || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!ENVELOPE_KEYS.has(key)) return undefined;
  const { event_id, event, schema, user_id, anonymous_id, session_id, game_id, timestamp, sent_at, properties } = r;
  if (typeof event_id !== 'string' || !UUID.test(event_id)) return undefined;
  if (typeof event !== 'string' || event.length < 1 || event.length > 64) return undefined;
  if (schema !== undefined && (typeof schema !== 'string' || !SCHEMA_ID.test(schema))) return undefined;
  if (!optionalText(user_id) || !optionalText(anonymous_id) || !optionalText(session_id)) return undefined;
  if (game_id !== undefined && (typeof game_id !== 'number' || !Number.isInteger(game_id) || game_id < 1 || game_id > 2 ** 31 - 1)) return undefined;
  if (typeof timestamp !== 'string' || !ISO_TIME.test(timestamp)) return undefined;
  if (sent_at !== undefined && (typeof sent_at !== 'string' || !ISO_TIME.test(sent_at))) return undefined;
  if (properties !== undefined && (properties === null || typeof properties !== 'object' || Object.getPrototypeOf(properties) !== Object.prototype)) return undefined;
  return {
    event_id, event, timestamp, properties: (properties ?? {}) as Record<string, unknown>,
    ...(schema !== undefined ? { schema: schema as string } : {}),
    ...(user_id !== undefined ? { user_id: user_id as string } : {}),
    ...(anonymous_id !== undefined ? { anonymous_id: anonymous_id as string } : {}),
    ...(session_id !== undefined ? { session_id: session_id as string } : {}),
    ...(game_id !== undefined ? { game_id } : {}),
    ...(sent_at !== undefined ? { sent_at } : {}),
  };
}

/** `text(128)` with nothing to trim, or absent. */
function optionalText(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string' || value.length < 1 || value.length > 128) return false;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  // Only a string that could start or end with white space is trimmed to find out.
  return (first > 32 && first < 127 && last > 32 && last < 127) || value === value.trim();
}

/** A checked ISO time in toISOString() form: the text itself when it is that form already. */
function isoOf(text: string, ms: number): string {
  return CANONICAL_TIME.test(text) ? text : new Date(ms).toISOString();
}

// A batch's events share one arrival time: its ISO text is made once (toISOString is not cheap).
let lastReceivedMs = Number.NaN;
let lastReceivedIso = '';
function receivedIso(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastReceivedMs) {
    lastReceivedIso = at.toISOString();
    lastReceivedMs = ms;
  }
  return lastReceivedIso;
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
