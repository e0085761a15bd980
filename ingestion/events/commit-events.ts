import { GmpError, hourKeyOf } from '../../core/index.js';
import type { Clock } from '../../core/index.js';
import { openPartitionWriter, readManifest, type ObjectStore } from '../../lake/index.js';
import { appendCommitError } from './append-conflict.js';
import type { CollectedEvent, FailedEvent } from './contracts.js';

/** What the write-ahead log holds: a collected event, or a refused one with its reason. */
export type LogEntry = { kind: 'event'; event: CollectedEvent } | { kind: 'failed'; failure: FailedEvent };

/** The lake source of events: `raw/events/events/dt=<hour>/…` and `raw/events/failed_events/dt=<hour>/…`. */
export const EVENTS_SOURCE = 'events';
export const EVENTS_ENTITY = 'events';
export const FAILED_EVENTS_ENTITY = 'failed_events';
/** Events older than this when committed go to failed_events as `too_late`. */
export const DEFAULT_LATE_WINDOW_MS = 3 * 86_400_000;

export interface EventBatch {
  /** The write-ahead log's stable id (it survives restarts; several collectors have several). */
  logId: string;
  /** The batch's last WAL segment: a partition whose manifest marks it (or a later one) for this log has it already. */
  throughSegment: number;
  /** The log's entries, or their JSON texts as the log holds them (an event's is committed as is, unparsed). */
  entries: readonly (LogEntry | string)[];
}

export interface BatchCommit {
  partitions: number;
  /** Partitions that already held this batch (a replay after a crash between commit and checkpoint). */
  skipped: number;
  events: number;
  failed: number;
  tooLate: number;
}

/**
 * Commits one batch of the log into hourly lake partitions by event time (failed events by the
 * hour they arrived), each partition with the manifest-last protocol, appending to what it holds.
 * Exactly once: every manifest records, per log, the last segment it holds, so a batch replayed
 * after a crash skips the partitions it reached. Events older than `lateWindowMs` go to
 * failed_events as `too_late`. Concurrent collectors committing one hour retry on the conflict.
 */
export async function commitEventBatch(store: ObjectStore, batch: EventBatch, options: { clock: Clock; lateWindowMs?: number; signal?: AbortSignal }): Promise<BatchCommit> {
  const now = options.clock.now();
  const oldest = now.getTime() - (options.lateWindowMs ?? DEFAULT_LATE_WINDOW_MS);
  const groups = new Map<string, { entity: string; hour: string; records: (object | string)[] }>();
  const add = (entity: string, hour: string, record: object | string): void => {
    const key = `${entity}/${hour}`;
    if (!groups.has(key)) groups.set(key, { entity, hour, records: [] });
    groups.get(key)!.records.push(record);
  };
  const result: BatchCommit = { partitions: 0, skipped: 0, events: 0, failed: 0, tooLate: 0 };
  for (const item of batch.entries) {
    if (typeof item === 'string') {
      const line = eventLine(item);
      if (line !== null && line.ms >= oldest) {
        add(EVENTS_ENTITY, line.hour, line.json);
        result.events++;
        continue;
      }
    }
    const entry = typeof item === 'string' ? (JSON.parse(item) as LogEntry) : item;
    if (entry.kind === 'failed') {
      add(FAILED_EVENTS_ENTITY, hourKeyOf(new Date(entry.failure.received_at)), entry.failure);
      result.failed++;
    } else if (Date.parse(entry.event.event_time) < oldest) {
      const failure: FailedEvent = {
        event_id: entry.event.event_id,
        reason: 'too_late',
        detail: `the event happened at ${entry.event.event_time}, before the late window (${Math.round((options.lateWindowMs ?? DEFAULT_LATE_WINDOW_MS) / 3_600_000)} h) of ${now.toISOString()}`,
        received_at: entry.event.received_at,
        collector_id: entry.event.collector_id,
        payload: JSON.stringify(entry.event),
      };
      add(FAILED_EVENTS_ENTITY, hourKeyOf(new Date(entry.event.received_at)), failure);
      result.tooLate++;
    } else {
      add(EVENTS_ENTITY, hourKeyOf(new Date(entry.event.event_time)), entry.event);
      result.events++;
    }
  }
  const runId = `${batch.logId}-${batch.throughSegment}`;
  for (const { entity, hour, records } of [...groups.values()].sort((a, b) => `${a.entity}/${a.hour}`.localeCompare(`${b.entity}/${b.hour}`))) {
    for (let attempt = 1; ; attempt++) {
      const current = await readManifest(store, EVENTS_SOURCE, entity, hour, options.signal ? { signal: options.signal } : {});
      const marks = (current?.metadata.wal ?? {}) as Record<string, number>;
      if ((marks[batch.logId] ?? -1) >= batch.throughSegment) {
        result.skipped++;
        break;
      }
      const writer = await openPartitionWriter({
        store, source: EVENTS_SOURCE, entity, dt: hour, runId, append: true, clock: options.clock, ...(options.signal ? { signal: options.signal } : {}),
        // Few, large parts, compressed a megabyte at a time: each part and each compressed chunk costs
        // turns of the collector's busy event loop, and a commit must keep up with what it accepts.
        maxRecordsPerFile: 50_000,
        partBufferChars: 1024 * 1024,
      });
      try {
        let slice = performance.now();
        for (let i = 0; i < records.length; i++) {
          const record = records[i]!;
          await (typeof record === 'string' ? writer.writeJson(record) : writer.write(record));
          // Let the collector's requests in between, every 10 ms of work: a commit must not stall
          // acknowledgements, nor starve behind them (yielding by count let it fall ever further behind).
          if (performance.now() - slice > 10) {
            await yieldToEventLoop();
            slice = performance.now();
          }
        }
        await writer.commit({ pages: 0, requests: 0, metadata: { ...(current?.metadata ?? {}), wal: { ...marks, [batch.logId]: batch.throughSegment } } });
        result.partitions++;
        break;
      } catch (cause) {
        await writer.abort().catch(() => undefined);
        // Another collector committed this hour meanwhile (the one retryable case): read its commit and append after it.
        const error = appendCommitError(cause);
        if (!(error instanceof GmpError && error.retryable) || attempt >= 5) throw error;
      }
    }
  }
  return result;
}

const EVENT_PREFIX = '{"kind":"event","event":';
const EVENT_TIME = ',"event_time":"';

/**
 * An event's JSON, event time and hour, read from its log line without parsing it: the collector
 * writes the envelope's fields in a fixed order, event_time before properties, and no string
 * value holds an unescaped quote, so the first `,"event_time":"` is the event's own. Null when the
 * line is anything else (a failure, another shape): the caller parses it.
 */
function eventLine(text: string): { json: string; ms: number; hour: string } | null {
  if (!text.startsWith(EVENT_PREFIX) || !text.endsWith('}}')) return null;
  const json = text.slice(EVENT_PREFIX.length, -1);
  const at = json.indexOf(EVENT_TIME);
  const properties = json.indexOf(',"properties":');
  if (at < 0 || (properties >= 0 && properties < at)) return null;
  const start = at + EVENT_TIME.length;
  const time = json.slice(start, json.indexOf('"', start));
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return null;
  // A toISOString() text starts with its hour key; other forms go through a Date.
  const hour = time.length === 24 && time.charCodeAt(23) === 90 /* Z */ ? time.slice(0, 13) : hourKeyOf(new Date(ms));
  return { json, ms, hour };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
