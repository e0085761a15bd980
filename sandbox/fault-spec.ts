import { z } from 'zod';

const times = z.number().int().positive().optional();
const path = z.string().min(1).optional();

/**
 * One injected fault. Queued faults are consumed FIFO by the next API request whose path contains
 * `path` (any request when unset), `times` requests in a row (default 1). A `latency` spec is not
 * queued: it sets the latency added to every later response.
 */
export const faultSpecSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('status'),
      status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
      times,
      retryAfterSeconds: z.number().int().nonnegative().optional(),
      path,
    })
    .strict(),
  z.object({ type: z.literal('hang'), times, path }).strict(),
  z.object({ type: z.literal('truncate'), times, path }).strict(),
  z.object({ type: z.literal('malformed'), times, path }).strict(),
  z.object({ type: z.literal('latency'), ms: z.number().int().nonnegative() }).strict(),
]);

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type QueuedFaultSpec = Exclude<FaultSpec, { type: 'latency' }>;
