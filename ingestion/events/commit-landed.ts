import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import { hourKeyOf, LakeError } from '../../core/index.js';
import type { Clock } from '../../core/index.js';
import { readManifest, readRecords, type ObjectStore } from '../../lake/index.js';
import { commitEventBatch, DEFAULT_LATE_WINDOW_MS, EVENTS_ENTITY, EVENTS_SOURCE, type LogEntry } from './commit-events.js';
import { parseLandedRecords } from './commit-landed-records.js';
import { checkEvent, unparseable } from './contracts.js';

const gunzip = promisify(gunzipCallback);

/** Where Firehose lands events in the lake (`raw/events/landing/dt=<YYYY-MM-DDTHH>/<object>`). */
export const LANDING_PREFIX = 'raw/events/landing/';
/** The `collector_id` of every event that came through API Gateway, Kinesis and Firehose. */
export const LANDED_COLLECTOR_ID = 'firehose';

export interface CommitLandedOptions {
  clock: Clock;
  lateWindowMs?: number;
  signal?: AbortSignal;
  /** Called once per landed object, after it is committed and removed (or found already committed). */
  onObject?: (progress: LandedObjectProgress) => void;
  /**
   * Called after an object's events are committed to the lake and before the object is removed
   * from the landing area. Tests throw here to stand for a crash at the worst moment.
   */
  beforeRemove?: (key: string) => void | Promise<void>;
}

export interface LandedObjectProgress {
  key: string;
  /** 1-based place among the objects this run found. */
  index: number;
  total: number;
  events: number;
  failed: number;
  /** Every partition the object feeds already had it: a re-run after a crash before removal. */
  alreadyCommitted: boolean;
}

export interface LandedCommit {
  /** Landed objects found and handled. */
  objects: number;
  /** Objects the lake held already (committed by an earlier run that stopped before removing them). */
  alreadyCommitted: number;
  /** Events of the objects committed now, into `raw/events/events`. */
  events: number;
  /** Refused events (contract violations, unparseable records) committed into `raw/events/failed_events` now. */
  failed: number;
  /** Of `failed`: records that were not JSON. */
  unparseable: number;
  /** Events older than the late window, kept in failed_events as `too_late`. */
  tooLate: number;
  /** Events whose event_id their hour already holds (Firehose and retrying clients deliver at least once). */
  duplicates: number;
  /** Hourly partitions committed. */
  partitions: number;
}

/**
 * Commits the events Firehose landed under `raw/events/landing/` into the hourly partitions of
 * `raw/events/events` (invalid ones into `raw/events/failed_events` with their reason), oldest
 * object first, then removes each object from the landing area. An event_id its hour already
 * holds is dropped as a duplicate. Exactly once: each object is
 * committed as its own batch whose mark every manifest it reaches records, so a re-run after a
 * crash between commit and removal skips it (and removes it). Throws a LakeError naming an object
 * that cannot be read as gzip or text; the objects before it stay committed.
 */
export async function commitLandedEvents(store: ObjectStore, options: CommitLandedOptions): Promise<LandedCommit> {
  const signal = options.signal;
  const listed: { key: string; lastModified: Date | undefined }[] = [];
  for await (const entry of store.list(LANDING_PREFIX, signal ? { signal } : {})) {
    // The partition folders hold Firehose's objects only; a stray folder marker is not one.
    if (!entry.key.endsWith('/')) listed.push({ key: entry.key, lastModified: entry.lastModified });
  }
  const total: LandedCommit = { objects: 0, alreadyCommitted: 0, events: 0, failed: 0, unparseable: 0, tooLate: 0, duplicates: 0, partitions: 0 };
  const committedIds = new CommittedIds(store, options.clock.now().getTime() - (options.lateWindowMs ?? DEFAULT_LATE_WINDOW_MS), signal);
  for (const [i, object] of listed.entries()) {
    const bytes = await store.get(object.key, signal ? { signal } : {});
    const arrived = object.lastModified ?? options.clock.now();
    const entries: LogEntry[] = [];
    const duplicatesBefore = total.duplicates;
    let unparseableCount = 0;
    for (const record of parseLandedRecords(await textOf(object.key, bytes))) {
      if (!record.ok) {
        entries.push({ kind: 'failed', failure: unparseable(record.text, arrived, LANDED_COLLECTOR_ID) });
        unparseableCount++;
        continue;
      }
      const checked = checkEvent(record.raw, record.receivedAt ?? arrived, LANDED_COLLECTOR_ID);
      if (!checked.ok) {
        entries.push({ kind: 'failed', failure: checked.failure });
      } else if (await committedIds.addIfNew(checked.event.event_id, checked.event.event_time)) {
        entries.push({ kind: 'event', event: checked.event });
      } else {
        total.duplicates++;
      }
    }
    const batch = await commitEventBatch(
      store,
      { logId: landedLogId(object.key), throughSegment: 0, entries },
      { clock: options.clock, ...(options.lateWindowMs !== undefined ? { lateWindowMs: options.lateWindowMs } : {}), ...(signal ? { signal } : {}) },
    );
    // Its events all in the lake already, its failures all marked: an earlier run committed it.
    const alreadyCommitted = batch.partitions === 0 && (batch.skipped > 0 || (entries.length === 0 && duplicatesBefore < total.duplicates));
    total.objects++;
    if (alreadyCommitted) {
      total.alreadyCommitted++;
    } else {
      total.events += batch.events;
      total.failed += batch.failed;
      total.tooLate += batch.tooLate;
      total.unparseable += unparseableCount;
    }
    total.partitions += batch.partitions;
    await options.beforeRemove?.(object.key);
    await store.delete(object.key, signal ? { signal } : {});
    options.onObject?.({ key: object.key, index: i + 1, total: listed.length, events: batch.events, failed: batch.failed + batch.tooLate, alreadyCommitted });
  }
  return total;
}

/**
 * The event ids each hour holds, read from the lake once per hour and run, plus those this run
 * adds. Deduplicating against the lake rather than the run keeps a re-run's batch for an object
 * free of events an earlier (now removed) object committed. Events before the late window are
 * not looked up: they go to failed_events as too_late.
 */
class CommittedIds {
  private readonly byHour = new Map<string, Set<string>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly oldestMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** True (and remembered) when the event's hour does not hold `eventId` yet. */
  async addIfNew(eventId: string, eventTime: string): Promise<boolean> {
    if (Date.parse(eventTime) < this.oldestMs) return true;
    const hour = hourKeyOf(new Date(eventTime));
    let ids = this.byHour.get(hour);
    if (ids === undefined) {
      ids = new Set();
      const options = this.signal ? { signal: this.signal } : {};
      const manifest = await readManifest(this.store, EVENTS_SOURCE, EVENTS_ENTITY, hour, options);
      if (manifest !== undefined) for await (const record of readRecords(this.store, manifest, options)) ids.add(String(record.event_id));
      this.byHour.set(hour, ids);
    }
    if (ids.has(eventId)) return false;
    ids.add(eventId);
    return true;
  }
}

/**
 * The batch id of a landed object: stable for its key, and within the lake's run-id alphabet
 * (a Firehose object name is long and may change form; its hash does not).
 */
export function landedLogId(key: string): string {
  return `landed-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

async function textOf(key: string, bytes: Uint8Array): Promise<string> {
  // Firehose GZIP output; a plain object (a hand-landed test file) is read as is.
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Buffer.from(bytes).toString('utf8');
  try {
    return (await gunzip(bytes)).toString('utf8');
  } catch (cause) {
    throw new LakeError(`cannot read the landed object ${key} as gzip: it stays in the landing area for inspection`, { code: 'LAKE_CORRUPT', retryable: false, cause, context: { key }, hint: 'inspect or remove the object; the objects after it are committed by the next run once it is gone' });
  }
}
