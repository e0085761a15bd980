import { UsageError } from '../../core/index.js';

/** An event on its way to a collector (the envelope of `POST /v1/batch`). */
export interface OutgoingEvent {
  event_id: string;
  sent_at?: string;
}

export interface SendEventsOptions {
  /** The collector's base URL (`http://127.0.0.1:8088`). */
  url: string;
  /** A source's write key, sent as `Authorization: Bearer`; never logged or reported. */
  writeKey?: string;
  batchSize: number;
  /** At most this many events a second (default: as fast as the collector acknowledges). */
  rate?: number;
  /** Batches in flight at once. */
  concurrency: number;
  /** Stop taking new events after this long; batches in flight still finish. */
  durationMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
  /** Stops the run: waits end, batches not yet acknowledged are reported as pending. */
  signal?: AbortSignal;
  /** Keep the ids of acknowledged events in the report. */
  keepAckedIds?: boolean;
  /** Stamps `sent_at` when a batch is (re)sent, as a client SDK does. */
  now: () => Date;
  onProgress?: (report: SendReport) => void;
  /** Upper bound of a backoff without Retry-After (default 30 s). */
  maxBackoffMs?: number;
  /** A request unanswered this long is abandoned and resent (default 30 s): the ids deduplicate. */
  requestTimeoutMs?: number;
}

export interface SendReport {
  /** Events taken from the stream and sent at least once. */
  sent: number;
  /** Events the collector made durable on their first arrival. */
  accepted: number;
  /** Events it had already (a resend of an id it acknowledged before): durable too. */
  duplicates: number;
  /** Events it refused as invalid (it keeps them in failed_events with the reason). */
  failed: number;
  /** Events sent but not acknowledged because the run was stopped. */
  pending: number;
  requests: number;
  /** Requests repeated after 429, 503, another 5xx or a connection error. */
  retries: number;
  /** Why sending ended. */
  stoppedBy: 'done' | 'duration' | 'count' | 'signal';
  /** The first few refusals, with their reasons. */
  failures: { event_id: string | null; reason: string; detail: string }[];
  ackedIds?: Set<string>;
}

interface BatchAnswer {
  accepted?: number;
  duplicates?: number;
  failed?: { index: number; event_id: string | null; reason: string; detail: string }[];
}

/** 429s in a row after which a batch is split: a batch over a source's burst would never pass. */
const SPLIT_AFTER_429S = 3;

/**
 * Sends `events` to a collector's `POST /v1/batch` in batches, paced to `rate`, with
 * `concurrency` batches in flight. Never loses an event: a batch is resent (same ids, so the
 * collector deduplicates) after 429/503 (honouring Retry-After), other 5xx and connection errors,
 * until acknowledged or the run is stopped. Throws UsageError when the collector refuses the
 * sender (401/403) or the request itself (other 4xx).
 */
export async function sendEvents(events: Iterable<OutgoingEvent>, options: SendEventsOptions): Promise<SendReport> {
  const report: SendReport = { sent: 0, accepted: 0, duplicates: 0, failed: 0, pending: 0, requests: 0, retries: 0, stoppedBy: 'done', failures: [], ...(options.keepAckedIds ? { ackedIds: new Set<string>() } : {}) };
  const source = events[Symbol.iterator]();
  const started = Date.now();
  let scheduled = 0;
  let finished = false;
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/batch`;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.writeKey ? { authorization: `Bearer ${options.writeKey}` } : {}) };
  const maxBackoff = options.maxBackoffMs ?? 30_000;

  const take = (): OutgoingEvent[] | null => {
    if (finished) return null;
    const stop = (why: SendReport['stoppedBy']): null => {
      finished = true;
      report.stoppedBy = why;
      return null;
    };
    if (options.signal?.aborted) return stop('signal');
    if (options.durationMs !== undefined && Date.now() - started >= options.durationMs) return stop('duration');
    const room = Math.min(options.batchSize, (options.maxEvents ?? Infinity) - report.sent);
    if (room <= 0) return stop('count');
    const batch: OutgoingEvent[] = [];
    while (batch.length < room) {
      const next = source.next();
      if (next.done) {
        finished = true;
        break;
      }
      batch.push(next.value);
    }
    report.sent += batch.length;
    return batch.length > 0 ? batch : null;
  };

  const deliver = async (batch: OutgoingEvent[]): Promise<void> => {
    let backoff = 250;
    let throttled = 0;
    for (;;) {
      if (options.signal?.aborted) {
        report.pending += batch.length;
        return;
      }
      const sentAt = options.now().toISOString();
      report.requests++;
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 30_000);
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ batch: batch.map((e) => ({ ...e, sent_at: sentAt })) }), signal });
      } catch {
        // Nothing acknowledged (refused, reset, or no answer in time): the same ids go again after a pause.
        report.retries++;
        await pause(backoff, options.signal);
        backoff = Math.min(maxBackoff, backoff * 2);
        continue;
      }
      const text = await response.text().catch(() => null);
      if (text === null) {
        report.retries++;
        continue;
      }
      if (response.status === 200 || (response.status === 400 && text.includes('"failed"'))) {
        const answer = parse(text);
        const refused = new Set((answer.failed ?? []).map((f) => f.index));
        report.accepted += answer.accepted ?? 0;
        report.duplicates += answer.duplicates ?? 0;
        report.failed += refused.size;
        for (const f of answer.failed ?? []) if (report.failures.length < 10) report.failures.push({ event_id: f.event_id, reason: f.reason, detail: f.detail });
        if (report.ackedIds) batch.forEach((e, i) => refused.has(i) || report.ackedIds!.add(e.event_id));
        options.onProgress?.(report);
        return;
      }
      if (response.status === 429 || response.status >= 500) {
        report.retries++;
        throttled = response.status === 429 ? throttled + 1 : 0;
        if (throttled >= SPLIT_AFTER_429S && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await deliver(batch.slice(0, half));
          await deliver(batch.slice(half));
          return;
        }
        const advised = retryAfterMs(response.headers.get('retry-after'));
        await pause(advised ?? backoff, options.signal);
        backoff = Math.min(maxBackoff, backoff * 2);
        continue;
      }
      const message = (parse(text) as { error?: { message?: string } }).error?.message ?? `HTTP ${response.status}`;
      if (response.status === 401 || response.status === 403) {
        throw new UsageError(`the collector at ${options.url} refused the sender: ${message}`, { hint: 'pass a source write key (gmp sources add NAME prints one) with --write-key-file FILE (or --write-key KEY)' });
      }
      throw new UsageError(`the collector at ${options.url} refused a batch (HTTP ${response.status}): ${message}`);
    }
  };

  const pace = async (n: number): Promise<void> => {
    if (!options.rate) return;
    const due = started + (scheduled / options.rate) * 1000;
    scheduled += n;
    const wait = due - Date.now();
    if (wait > 0) await pause(wait, options.signal);
  };

  const worker = async (): Promise<void> => {
    for (let batch = take(); batch !== null; batch = take()) {
      await pace(batch.length);
      await deliver(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return report;
}

function parse(text: string): BatchAnswer {
  try {
    return JSON.parse(text) as BatchAnswer;
  } catch {
    return {};
  }
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
