import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isHourKey, LakeError } from '../../core/index.js';
import type { Clock } from '../../core/index.js';
import {
  absorbedKeys,
  assertCommittedFileIntact,
  bytesSha256,
  compactionOf,
  entityPrefix,
  openPartitionWriter,
  parseLakeKey,
  readManifest,
  type CommittedFile,
  type CompactionRecord,
  type ObjectStore,
  type PartitionManifest,
} from '../../lake/index.js';
import { isConcurrentCommit } from './append-conflict.js';
import { EVENTS_ENTITY, EVENTS_SOURCE, FAILED_EVENTS_ENTITY } from './commit-events.js';
import { writeDayParquet, type DedupeKey, type HourlyInput } from './compact-parquet.js';

const DAY_MS = 86_400_000;
/** The entities compacted, and how copies of one event are recognised in each. */
const ENTITIES: readonly { entity: string; dedupe: DedupeKey }[] = [
  { entity: EVENTS_ENTITY, dedupe: 'event_id' },
  { entity: FAILED_EVENTS_ENTITY, dedupe: 'record' },
];
/** The compacted day's one data file. */
export const DAY_PARQUET_FILE = 'part-00000.parquet';

export interface CompactEventsOptions {
  clock: Clock;
  /** A UTC day is compacted once all its 24 hours ended at least this long ago. */
  olderThanMs: number;
  /** Names the run folders this compaction writes (the daily Parquet, the emptied hours). */
  runId: string;
  /** A local scratch folder (inputs downloaded from an S3 lake, the Parquet being written); emptied after each day. */
  workDir: string;
  /** Reports what would be done without writing anything. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onDay?: (day: DayCompaction) => void;
  /**
   * Called once a day's daily manifest is durable, before its hourly partitions are emptied.
   * Tests throw here to stand for a crash at that moment.
   */
  afterDailyCommit?: (entity: string, day: string) => void | Promise<void>;
}

export interface DayCompaction {
  entity: string;
  day: string;
  /**
   * `compacted`: the day's first Parquet; `merged`: events committed into its hours since (late
   * ones, or those of an interrupted compaction) merged into a new one; `cleaned`: nothing new,
   * only hourly partitions emptied or files left by an interrupted compaction listed for removal.
   */
  action: 'compacted' | 'merged' | 'cleaned';
  /** Hourly partitions of the day holding data files. */
  hours: number;
  /** Of those, emptied now (their manifests keep only their write-ahead-log marks). */
  emptied: number;
  /** Rows read (the previous Parquet's and the new hourly files'). */
  eventsIn: number;
  /** Rows in the new Parquet; undefined for a dry run or a `cleaned` day. */
  eventsOut: number | undefined;
  /** Bytes of what the new Parquet replaces (hourly files, previous Parquet). */
  bytesBefore: number;
  bytesAfter: number | undefined;
}

export interface EventCompaction {
  days: DayCompaction[];
  /**
   * Lake keys no manifest names any more (absorbed hourly files, superseded Parquet): delete them
   * with `removeCompactedFiles` once no reader names them (a warehouse view built before may).
   */
  obsoleteKeys: string[];
  /** Daily partitions written, whose interrupted runs `removeCompactedFiles` may collect. */
  dailyPartitions: { entity: string; day: string }[];
}

/** The UTC days this compaction may touch: those whose last hour ended by `cutoff`. */
function isOldEnough(day: string, cutoffMs: number): boolean {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS <= cutoffMs;
}

/**
 * Compacts the hourly event partitions (events and failed_events) of every UTC day old enough
 * into one daily Parquet per entity and day, `raw/events/<entity>/dt=<day>/run=<run>/part-00000.parquet`,
 * committed manifest-last with each file's SHA-256 and the hourly files it absorbed. Only then are
 * the day's hourly manifests emptied (conditionally on the commit they replace, so a concurrent
 * append is never lost; it is merged by the next compaction). Files are never deleted here: see
 * `obsoleteKeys`. Repeatable and crash-safe: readers (`listReadablePartitions`) see every event
 * once at every step, and a re-run finishes what an interrupted one began. Throws LAKE_CORRUPT for
 * a daily Parquet whose checksum does not match when there are events to merge into it.
 */
export async function compactEvents(store: ObjectStore, options: CompactEventsOptions): Promise<EventCompaction> {
  const cutoffMs = options.clock.now().getTime() - options.olderThanMs;
  const result: EventCompaction = { days: [], obsoleteKeys: [], dailyPartitions: [] };
  for (const { entity, dedupe } of ENTITIES) {
    const listing = await listHourlyFiles(store, entity, options.signal);
    for (const [day, hours] of listing) {
      if (!isOldEnough(day, cutoffMs)) continue;
      const done = await compactDay(store, { ...options, entity, dedupe, day, hours });
      result.days.push(done.summary);
      result.obsoleteKeys.push(...done.obsoleteKeys);
      if (done.summary.action !== 'cleaned' && !options.dryRun) result.dailyPartitions.push({ entity, day });
      options.onDay?.(done.summary);
    }
  }
  return result;
}

/** Day → hour → keys of the data files its folders hold, for hours with a manifest and data files. */
async function listHourlyFiles(store: ObjectStore, entity: string, signal: AbortSignal | undefined): Promise<Map<string, Map<string, string[]>>> {
  const files = new Map<string, string[]>();
  const manifests = new Set<string>();
  for await (const { key } of store.list(entityPrefix(EVENTS_SOURCE, entity), signal ? { signal } : {})) {
    const parts = parseLakeKey(key);
    if (parts === undefined || !isHourKey(parts.dt)) continue;
    if (parts.kind === 'manifest') manifests.add(parts.dt);
    else files.set(parts.dt, [...(files.get(parts.dt) ?? []), key]);
  }
  const days = new Map<string, Map<string, string[]>>();
  for (const hour of [...files.keys()].sort()) {
    // Folders without a manifest are an interrupted first commit's leftovers: nothing is committed there.
    if (!manifests.has(hour)) continue;
    const day = hour.slice(0, 10);
    if (!days.has(day)) days.set(day, new Map());
    days.get(day)!.set(hour, files.get(hour)!);
  }
  return days;
}

interface DayJob extends CompactEventsOptions {
  entity: string;
  dedupe: DedupeKey;
  day: string;
  /** Hour → data file keys listed in its folders. */
  hours: Map<string, string[]>;
}

async function compactDay(store: ObjectStore, job: DayJob): Promise<{ summary: DayCompaction; obsoleteKeys: string[] }> {
  const { entity, day, signal } = job;
  const opts = signal ? { signal } : {};
  const hourly: PartitionManifest[] = [];
  for (const hour of job.hours.keys()) {
    const manifest = await readManifest(store, EVENTS_SOURCE, entity, hour, opts);
    if (manifest !== undefined) hourly.push(manifest);
  }
  const previous = await readManifest(store, EVENTS_SOURCE, entity, day, opts);
  const previousRecord = previous === undefined ? undefined : compactionOf(previous);
  if (previous !== undefined && previousRecord === undefined) {
    throw new LakeError(`${EVENTS_SOURCE}/${entity} dt=${day} holds a daily partition that is not a compaction: the day is left as it is`, {
      retryable: false,
      context: { lakeKey: `${entityPrefix(EVENTS_SOURCE, entity)}dt=${day}/_manifest.json` },
    });
  }
  const absorbedBefore = absorbedKeys(previous);
  const fresh = hourly.flatMap((m) => m.files.filter((f) => !absorbedBefore.has(f.key)).map((file) => ({ file, hour: m.dt })));
  const summary: DayCompaction = {
    entity,
    day,
    action: fresh.length === 0 ? 'cleaned' : previous === undefined ? 'compacted' : 'merged',
    hours: hourly.filter((m) => m.files.length > 0).length,
    emptied: 0,
    eventsIn: fresh.reduce((n, f) => n + f.file.records, 0) + (fresh.length > 0 ? (previous?.records ?? 0) : 0),
    eventsOut: undefined,
    bytesBefore: fresh.reduce((n, f) => n + f.file.bytes, 0) + (fresh.length > 0 ? bytesOf(previous?.files ?? []) : 0),
    bytesAfter: undefined,
  };
  if (job.dryRun) return { summary, obsoleteKeys: [] };

  let daily = previous;
  if (fresh.length > 0) {
    daily = await writeDay(store, job, previous, fresh, hourly, summary);
    await job.afterDailyCommit?.(entity, day);
  }
  const absorbed = absorbedKeys(daily);
  const obsolete: string[] = [];
  if (daily !== previous) obsolete.push(...(previous?.files ?? []).map((f) => f.key));
  for (const manifest of hourly) {
    let named = manifest.files;
    if (manifest.files.length > 0 && manifest.files.every((f) => absorbed.has(f.key))) {
      if (await emptyHour(store, job, manifest, daily!)) {
        named = [];
        summary.emptied++;
      }
    }
    const stillNamed = new Set(named.map((f) => f.key));
    obsolete.push(...(job.hours.get(manifest.dt) ?? []).filter((key) => absorbed.has(key) && !stillNamed.has(key)));
  }
  return { summary, obsoleteKeys: obsolete };
}

/** Writes and commits the day's new Parquet; returns its manifest. */
async function writeDay(
  store: ObjectStore,
  job: DayJob,
  previous: PartitionManifest | undefined,
  fresh: { file: CommittedFile; hour: string }[],
  hourly: readonly PartitionManifest[],
  summary: DayCompaction,
): Promise<PartitionManifest> {
  const { entity, day, signal } = job;
  const dir = path.join(job.workDir, `${entity}-${day}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    // The day compacted before must be intact: it is about to be the only copy of its events.
    const previousPath = previous === undefined ? undefined : await localCopy(store, previous.files[0]!, dir, 'previous.parquet', signal, true);
    const inputs: HourlyInput[] = [];
    for (const [i, { file, hour }] of fresh.entries()) {
      inputs.push({ path: await localCopy(store, file, dir, `input-${i}.jsonl.gz`, signal, false), hour, runId: runIdOf(file.key) });
    }
    const output = path.join(dir, DAY_PARQUET_FILE);
    const counts = await writeDayParquet({ ...(previousPath ? { previous: previousPath } : {}), inputs, output, dedupe: job.dedupe });
    const record: CompactionRecord = { format: 1, absorbed: { ...(previous === undefined ? {} : compactionOf(previous)!.absorbed) } };
    for (const m of hourly) record.absorbed[m.dt] = [...new Set([...(record.absorbed[m.dt] ?? []), ...m.files.map((f) => f.key)])];
    const writer = await openPartitionWriter({ store, source: EVENTS_SOURCE, entity, dt: day, runId: job.runId, clock: job.clock, ...(signal ? { signal } : {}) });
    try {
      const file = await writer.putFile(DAY_PARQUET_FILE, output, counts.rowsOut);
      const manifest = await writer.commit({ pages: 0, requests: 0, metadata: { compaction: record, events_in: counts.rowsIn } });
      summary.eventsIn = counts.rowsIn;
      summary.eventsOut = counts.rowsOut;
      summary.bytesAfter = file.bytes;
      return manifest;
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Replaces an hour whose every file the day absorbed by an empty commit that keeps its metadata
 * (the write-ahead-log marks a replayed batch is checked against). The put is conditional on the
 * commit read (on stores with etags): an append that landed meanwhile wins, and the hour stays as
 * it is until the next compaction. False when the hour was not emptied.
 */
async function emptyHour(store: ObjectStore, job: DayJob, manifest: PartitionManifest, daily: PartitionManifest): Promise<boolean> {
  const { entity, signal } = job;
  if (manifest.run_id === job.runId) return false;
  const writer = await openPartitionWriter({ store, source: EVENTS_SOURCE, entity, dt: manifest.dt, runId: job.runId, clock: job.clock, ...(signal ? { signal } : {}) });
  const absorbed = absorbedKeys(daily);
  // What the writer replaces is what is committed now: only empty it if the day holds all of it.
  if (writer.replaces === undefined || !writer.replaces.files.every((f) => absorbed.has(f.key))) {
    await writer.abort();
    return false;
  }
  try {
    await writer.commit({ pages: 0, requests: 0, metadata: { ...writer.replaces.metadata, compacted_into: { dt: daily.dt, run_id: daily.run_id, generation: daily.generation ?? 0 } } });
    return true;
  } catch (error) {
    await writer.abort().catch(() => undefined);
    if (isConcurrentCommit(error)) return false;
    throw error;
  }
}

/** A local path holding `file`: the store's own on a local lake, else a verified download into `dir`. */
async function localCopy(store: ObjectStore, file: CommittedFile, dir: string, name: string, signal: AbortSignal | undefined, verify: boolean): Promise<string> {
  if (store.localPathFor !== undefined && !verify) {
    // Read in place, but only once it is known intact: a damaged hour must not reach the day's Parquet.
    await assertCommittedFileIntact(store, file, signal ? { signal } : {});
    return store.localPathFor(file.key);
  }
  const bytes = await store.get(file.key, signal ? { signal } : {});
  if (file.sha256 !== undefined && bytesSha256(bytes) !== file.sha256) throw damaged(store, file.key);
  const target = path.join(dir, name);
  await writeFile(target, bytes);
  return target;
}

/** The error naming a compacted day whose Parquet no longer matches its manifest's checksum. */
export function damaged(store: ObjectStore, key: string): LakeError {
  return new LakeError(`corrupt lake file ${key} in ${store.describe()}: its SHA-256 is not the one its manifest records`, {
    code: 'LAKE_CORRUPT',
    retryable: false,
    context: { lakeKey: key },
    hint: 'restore the file from a backup or an earlier version of the object (its hourly sources were removed when the day was compacted); `gmp events compact --verify` lists every damaged day',
  });
}

function runIdOf(key: string): string {
  const parts = parseLakeKey(key);
  return parts?.kind === 'run-file' ? parts.runId : '';
}

function bytesOf(files: readonly CommittedFile[]): number {
  return files.reduce((n, f) => n + f.bytes, 0);
}
