import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { UsageError } from '../../core/index.js';
import { checkEvent, commitEventBatch, RecentIds, unparseable, WriteAheadLog, type BatchCommit, type CollectedEvent, type FailedEvent, type LogEntry } from '../../ingestion/index.js';
import { createObjectStore, type ObjectStore } from '../../lake/index.js';
import { ownerId, ownerIsDeadLocally } from '../../orchestration/index.js';
import type { Workspace } from '../workspace.js';

/** What the collector answers for a batch, once every event of it is durable. */
export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  /** Each refused event: its place in the batch, id and why (it is kept in failed_events). */
  failed: { index: number; event_id: string | null; reason: FailedEvent['reason']; detail: string }[];
}

/** Refused before anything was written: the client should retry after `retryAfterSeconds`. */
export class BackPressure extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface CollectorOptions {
  /** Names this collector in every event it stamps (default `host:pid`). */
  collectorId?: string;
  /** Default GMP_HOME/events/wal. */
  walDir?: string;
  /** 503 once this many bytes wait in the WAL for the lake (default 512 MB). */
  maxBacklogBytes?: number;
  /** 503 while the event loop lags more than this (p99 over the last second; default 1,000 ms). */
  maxLagMs?: number;
  /** How often the log is committed to the lake (default GMP_EVENTS_COMMIT_SECONDS); 0 commits only on `commit()`. */
  commitIntervalMs?: number;
  /** Told of each batch's accepted events once they are durable (the hot path); its failures never fail the batch. */
  onAccepted?: (events: readonly CollectedEvent[]) => void;
}

export interface CollectorStats {
  accepted: number;
  duplicates: number;
  failedByReason: Record<string, number>;
  walBacklogBytes: number;
  walOldestAgeMs: number | null;
  walSyncs: number;
  /** Events and failures committed to the lake by this collector, and when it last committed. */
  committed: number;
  lastCommitAt: string | null;
  lastCommitError: string | null;
  /** Commits that wrote at least one segment to the lake. */
  commits: number;
  /** When this collector opened its log. */
  openedAt: string;
}

/** A WAL record: a collected event or a refused one, told apart by `kind`. */
export type WalEntry = LogEntry;

export interface Collector {
  readonly id: string;
  /** Checks, deduplicates and makes durable a batch; resolves only when it is on disk. */
  accept(events: readonly unknown[]): Promise<BatchOutcome>;
  /** Keeps a body that is not JSON in failed_events (durably) before the 400 goes out. */
  refuseBody(body: string): Promise<void>;
  stats(): CollectorStats;
  /** Entries the WAL held, not yet in the lake, when the collector opened (a restart after a crash). */
  readonly recovered: number;
  /**
   * Commits everything durable so far into the lake's hourly partitions, then releases those WAL
   * segments (after the commit's manifests and the checkpoint are durable). The timer calls it.
   */
  commit(): Promise<BatchCommit | null>;
  close(): Promise<void>;
}

/**
 * Opens the collector's write-ahead log (replaying what a crashed collector left) and returns the
 * accept path: check each event against its contract, drop ids seen in the recent window, append
 * events and failures to the WAL, and resolve once synced — never acknowledge what could be lost.
 */
export async function openCollector(ws: Workspace, options: CollectorOptions = {}): Promise<Collector> {
  const id = options.collectorId ?? `${hostname()}:${process.pid}`;
  const walDir = options.walDir ?? path.join(ws.config.home, 'events', 'wal');
  const unlock = lockWalDir(walDir, id);
  const opened = await openLog(walDir).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const { wal, logId } = opened;
  let checkpoint = opened.checkpoint;
  // Only their ids are kept (the dedup window): the entries themselves stay on disk until committed.
  const recent = new RecentIds();
  for (const r of opened.pending) {
    const entry = JSON.parse(r.json) as WalEntry;
    if (entry.kind === 'event') recent.add(entry.event.event_id);
  }
  const recovered = opened.pending.length;
  const maxBacklog = options.maxBacklogBytes ?? 512 * 1024 * 1024;
  const maxLag = options.maxLagMs ?? 1000;
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // The p99 of the last second, read once a second: a percentile per request cost 2% of the CPU.
  let lagP99Ms = 0;
  const lagReset = setInterval(() => {
    lagP99Ms = lag.percentile(99) / 1e6;
    lag.reset();
  }, 1000);
  lagReset.unref();
  const counts = { accepted: 0, duplicates: 0, failedByReason: {} as Record<string, number> };
  const countFailure = (reason: string): void => void (counts.failedByReason[reason] = (counts.failedByReason[reason] ?? 0) + 1);

  const guard = (): void => {
    const backlog = wal.stats().backlogBytes;
    if (backlog > maxBacklog) throw new BackPressure(`the collector's write-ahead log holds ${Math.round(backlog / 1e6)} MB not yet in the lake`, 5);
    const p99 = lagP99Ms;
    if (p99 > maxLag) throw new BackPressure(`the collector is overloaded (event loop ${Math.round(p99)} ms behind)`, 1);
  };

  let lake: ObjectStore | undefined;
  let committing: Promise<BatchCommit | null> | undefined;
  const commitState = { committed: 0, commits: 0, lastCommitAt: null as string | null, lastCommitError: null as string | null };
  const openedAt = ws.clock.now().toISOString();
  const commitNow = async (): Promise<BatchCommit | null> => {
    // Seal what is durable, then commit the sealed segments after the checkpoint one at a time
    // (memory stays one segment's worth), each recorded and released once its manifests are durable.
    await wal.rotate();
    const through = wal.activeSegment() - 1;
    if (through <= checkpoint) return null;
    lake ??= await createObjectStore(ws.config.lake);
    const total: BatchCommit = { partitions: 0, skipped: 0, events: 0, failed: 0, tooLate: 0 };
    for (let segment = checkpoint + 1; segment <= through; segment++) {
      // The log's lines go to the lake as they are: an event is not parsed or serialized again.
      const entries = (await wal.read(segment, segment)).map((r) => r.json);
      if (entries.length > 0) {
        const result = await commitEventBatch(lake, { logId, throughSegment: segment, entries }, { clock: ws.clock, lateWindowMs: ws.config.eventsLateWindowDays * 86_400_000 });
        for (const k of Object.keys(total) as (keyof BatchCommit)[]) total[k] += result[k];
      }
      writeCheckpoint(walDir, segment);
      checkpoint = segment;
      await wal.release(segment + 1);
      commitState.committed += entries.length;
    }
    commitState.lastCommitAt = ws.clock.now().toISOString();
    commitState.lastCommitError = null;
    commitState.commits++;
    return total;
  };
  const commit = (): Promise<BatchCommit | null> => {
    committing ??= commitNow()
      .catch((error: unknown) => {
        // The lake is down or refuses: the events stay in the WAL (the backlog grows to its 503) and the next tick retries.
        commitState.lastCommitError = error instanceof Error ? error.message : String(error);
        throw error;
      })
      .finally(() => (committing = undefined));
    return committing;
  };
  const interval = options.commitIntervalMs ?? ws.config.eventsCommitSeconds * 1000;
  const timer = interval > 0 ? setInterval(() => void commit().catch(() => undefined), interval) : undefined;
  timer?.unref();

  return {
    id,
    recovered,
    commit,
    async accept(events) {
      guard();
      const now = ws.clock.now();
      const entries: string[] = [];
      const outcome: BatchOutcome = { accepted: 0, duplicates: 0, failed: [] };
      const claimed: string[] = [];
      const fresh: CollectedEvent[] = [];
      events.forEach((raw, index) => {
        const checked = checkEvent(raw, now, id);
        if (!checked.ok) {
          entries.push(JSON.stringify({ kind: 'failed', failure: checked.failure } satisfies WalEntry));
          outcome.failed.push({ index, event_id: checked.failure.event_id, reason: checked.failure.reason, detail: checked.failure.detail });
          return;
        }
        // Claimed before the write, so the same id twice in flight is written once.
        if (recent.has(checked.event.event_id)) {
          outcome.duplicates++;
          return;
        }
        recent.add(checked.event.event_id);
        claimed.push(checked.event.event_id);
        fresh.push(checked.event);
        entries.push(`{"kind":"event","event":${checked.json}}`);
        outcome.accepted++;
      });
      if (entries.length > 0) {
        try {
          await wal.append(entries);
        } catch (error) {
          for (const eventId of claimed) recent.delete(eventId);
          throw new UsageError(`the collector could not make the events durable: ${error instanceof Error ? error.message : String(error)}`, { hint: 'nothing of this request was kept; retry later' });
        }
      }
      if (fresh.length > 0) options.onAccepted?.(fresh);
      counts.accepted += outcome.accepted;
      counts.duplicates += outcome.duplicates;
      for (const f of outcome.failed) countFailure(f.reason);
      return outcome;
    },
    async refuseBody(body) {
      const failure = unparseable(body, ws.clock.now(), id);
      await wal.append([JSON.stringify({ kind: 'failed', failure } satisfies WalEntry)]);
      countFailure(failure.reason);
    },
    stats() {
      const s = wal.stats();
      return { ...counts, failedByReason: { ...counts.failedByReason }, walBacklogBytes: s.backlogBytes, walOldestAgeMs: s.oldestAppendMs === null ? null : Date.now() - s.oldestAppendMs, walSyncs: s.syncs, ...commitState, openedAt };
    },
    async close() {
      if (timer) clearInterval(timer);
      // What is durable goes to the lake now; if the lake refuses, it waits in the WAL for the next start.
      await committing?.catch(() => undefined);
      await commit().catch(() => undefined);
      clearInterval(lagReset);
      lag.disable();
      await wal.close();
      unlock();
    },
  };
}

/** A fresh event id, for sources that send none (seed 003's ingest API): such events cannot be deduplicated. */
export const newEventId = (): string => randomUUID();

/**
 * One collector per WAL folder: a second one would interleave segments. The lock file names its
 * holder; a holder that died (`kill -9`) is taken over, a live one refused with a clear error.
 */
function lockWalDir(dir: string, collectorId: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify({ owner: ownerId('collect'), collectorId }), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = JSON.parse(readFileSync(lock, 'utf8') || '{}') as { owner?: string; collectorId?: string };
      // Taken over only when its holder is known dead (this host and PID namespace, the PID gone), as leases are.
      if (holder.owner !== undefined && !ownerIsDeadLocally(holder.owner)) {
        throw new UsageError(`another collector (${holder.collectorId ?? holder.owner}) holds the write-ahead log in ${dir}`, {
          hint: 'stop it, or give this one its own folder (gmp collect --wal-dir DIR)',
        });
      }
      rmSync(lock, { force: true }); // its holder is gone: take over its log
    }
  }
  throw new UsageError(`cannot lock the write-ahead log in ${dir}`);
}

/**
 * Opens the log with its stable id (LOG_ID, made once) and checkpoint (CHECKPOINT: the last
 * segment committed to the lake). Segments up to the checkpoint are committed already: a crash
 * between the checkpoint and their release left them, and they are released now.
 */
async function openLog(dir: string): Promise<{ wal: WriteAheadLog; logId: string; checkpoint: number; pending: { segment: number; json: string }[] }> {
  mkdirSync(dir, { recursive: true });
  const idFile = path.join(dir, 'LOG_ID');
  if (!existsSync(idFile)) writeWhole(idFile, randomUUID().slice(0, 8));
  const logId = readFileSync(idFile, 'utf8').trim();
  const checkpointFile = path.join(dir, 'CHECKPOINT');
  const checkpoint = existsSync(checkpointFile) ? Number((JSON.parse(readFileSync(checkpointFile, 'utf8')) as { segment: number }).segment) : 0;
  const { wal, recovered } = await WriteAheadLog.open(dir);
  await wal.release(checkpoint + 1);
  return { wal, logId, checkpoint, pending: recovered.filter((r) => r.segment > checkpoint) };
}

function writeCheckpoint(dir: string, segment: number): void {
  writeWhole(path.join(dir, 'CHECKPOINT'), JSON.stringify({ segment }));
}

/** Writes a small file whole and durably: aside, synced, renamed over, the folder synced. */
function writeWhole(file: string, text: string): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dirFd = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
