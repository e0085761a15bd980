import type { TrackingStore } from '../../ml/index.js';
import type { PartitionRun } from './partition-runs.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'canceled';
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'canceled';

export interface RunRecord {
  runId: string;
  /** Process that runs it (`host:pid`), for liveness; null for runs recorded before 2. */
  owner?: string | null;
  heartbeatAt?: string | null;
  kind: string;
  status: RunStatus;
  selection: string;
  /** Human summary of the partitions, e.g. `2024-05-01..2024-05-07 (7)`. */
  partitions: string;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  /** When another process asked this run to cancel (its runner stops within seconds); null otherwise. */
  cancelRequestedAt?: string | null;
}

export interface RunEventRecord {
  id?: number;
  runId: string;
  ts: string;
  type: 'RUN_START' | 'RUN_END' | 'STEP_START' | 'STEP_SUCCESS' | 'STEP_FAILURE' | 'STEP_SKIPPED' | 'LOG';
  asset: string | null;
  partition: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
}

export interface MaterializationRecord {
  runId: string;
  asset: string;
  /** `null` for unpartitioned assets. */
  partition: string | null;
  status: StepStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  rows: number | null;
  pages: number | null;
  requests: number | null;
  metadata: Record<string, unknown> | null;
  error: string | null;
}

export type BackfillStatus = 'running' | 'succeeded' | 'failed' | 'canceled';
export type BackfillPartitionStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'canceled';

export interface BackfillRecord {
  backfillId: string;
  selection: string;
  /** First and last partition key of the range. */
  fromKey: string;
  toKey: string;
  status: BackfillStatus;
  createdAt: string;
  updatedAt: string;
  /** Options as requested (concurrency, force, …), JSON-safe. */
  options: Record<string, unknown>;
}

/** One (asset, partition) of a backfill; `partition` is null for unpartitioned assets. */
export interface BackfillPartitionRecord {
  backfillId: string;
  asset: string;
  partition: string | null;
  status: BackfillPartitionStatus;
  runId: string | null;
  attempts: number;
  updatedAt: string;
  error: string | null;
}

export interface LockRecord {
  name: string;
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

export type CheckStatus = 'passed' | 'failed' | 'warned' | 'errored';

export interface CheckResultRecord {
  runId: string;
  asset: string;
  partition: string | null;
  check: string;
  status: CheckStatus;
  severity: 'error' | 'warn';
  at: string;
  metadata: Record<string, unknown> | null;
}

export type Role = 'viewer' | 'operator' | 'admin';

export interface UserRecord {
  userId: number;
  name: string;
  role: Role;
  /** `scrypt$…`: never the password. */
  passwordHash: string;
  /** Lower-cased; unique among users when present. */
  email: string | null;
  displayName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A server switch an admin set (registration, SQL console access): its value, who and when. */
/** A source allowed to send events to `gmp collect`, by its write key (stored hashed). */
export interface EventSourceRecord {
  name: string;
  keyHash: string;
  /** The key's first characters, to recognise it in a list (never enough to use it). */
  keyPrefix: string;
  /** Events a second this source may send (null: the collector's default). */
  eventsPerSecond: number | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface SettingRecord {
  key: string;
  value: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ApiTokenRecord {
  tokenId: string;
  /** The user it acts as. */
  user: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  /** Who: a user name, `local` (the loopback local-admin mode) or `token:<id>`. */
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface RunStepSummary {
  total: number;
  succeeded: number;
  failed: number;
  /** Skipped or canceled. */
  other: number;
  rows: number;
  requests: number;
  /** Check steps (`checks/…`) that failed. */
  checksFailed: number;
}

/** A `gmp daemon` as it last reported itself. */
export interface DaemonRecord {
  /** `host:pid:daemon-xxxxxx`. */
  owner: string;
  startedAt: string;
  heartbeatAt: string;
  /** Set when it stopped cleanly; a daemon that was killed keeps `null` and its heartbeat ages. */
  stoppedAt: string | null;
  /** `schedule@instant` it waits for. */
  nextTick: string | null;
  /** Started with `--once` (from cron). */
  once: boolean;
}

export interface RequestLimits {
  perDay?: number;
  perMonth?: number;
}

/**
 * Persistence for runs, append-only run events, materializations per (asset, partition),
 * backfills with per-partition status, leases (cross-process locks), the request ledger and
 * check results. Every text is redacted before it is stored. Implementations: SQLite (embedded
 * default) and Postgres (shared by several processes); both pass tests/conformance/state-store.
 * Time is always passed in.
 */
export interface StateStore extends TrackingStore {
  readonly description: string;
  createRun(run: Omit<RunRecord, 'endedAt' | 'error' | 'status'>): Promise<void>;
  finishRun(runId: string, status: RunStatus, endedAt: string, error?: string | null): Promise<void>;
  appendEvent(event: RunEventRecord): Promise<void>;
  recordMaterialization(record: MaterializationRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(options?: { limit?: number }): Promise<RunRecord[]>;
  /**
   * Runs newest first, `limit` at a time, optionally of one status or kind; `after` is the `next`
   * cursor of the previous page (an opaque string; UsageError when it is not one).
   */
  pageRuns(options: { limit: number; after?: string; status?: RunStatus; kind?: string }): Promise<{ runs: RunRecord[]; next: string | null }>;
  listEvents(runId: string): Promise<RunEventRecord[]>;
  /**
   * A run's events after event `afterId`, in order, at most `limit`, filtered on the server: by
   * type, asset, and a case-insensitive substring of the message.
   */
  pageEvents(
    runId: string,
    options: { limit: number; afterId?: number; types?: readonly RunEventRecord['type'][]; asset?: string; partition?: string; text?: string },
  ): Promise<RunEventRecord[]>;
  /** In insertion order, or the newest first; `limit` caps the list (a run of 50,000 steps). */
  listMaterializations(options?: { runId?: string; asset?: string; status?: StepStatus; limit?: number; newestFirst?: boolean }): Promise<MaterializationRecord[]>;
  /** Step counts and sums of the runs named, in one query (a runs page, a run of 50,000 steps). */
  summarizeRunSteps(runIds: readonly string[]): Promise<Map<string, RunStepSummary>>;
  /** The latest status of every (asset, partition) recorded for `asset`. */
  latestByPartition(asset: string): Promise<{ partition: string | null; status: StepStatus; runId: string; endedAt: string }[]>;
  /**
   * The latest status of every partition recorded for `asset`, as runs of consecutive days or hours
   * with one status, in key order (see PartitionRun): what `gmp partitions` shows, without a row per partition.
   */
  partitionRuns(asset: string): Promise<PartitionRun[]>;
  /** Marks a run alive (pid, host in `createRun`); a run whose heartbeat is old is presumed dead. */
  heartbeatRun(runId: string, at: string): Promise<void>;
  /** Asks a running run to cancel (recorded; its runner polls); false when no such run is running. */
  requestRunCancel(runId: string, at: string): Promise<boolean>;

  // Backfills
  /** Creates the backfill and all its partitions as `pending`, in one transaction. */
  createBackfill(backfill: Omit<BackfillRecord, 'updatedAt'>, partitions: readonly { asset: string; partition: string | null }[]): Promise<void>;
  getBackfill(backfillId: string): Promise<BackfillRecord | undefined>;
  listBackfills(options?: { limit?: number }): Promise<BackfillRecord[]>;
  setBackfillStatus(backfillId: string, status: BackfillStatus, at: string): Promise<void>;
  listBackfillPartitions(backfillId: string, options?: { status?: readonly BackfillPartitionStatus[] }): Promise<BackfillPartitionRecord[]>;
  getBackfillPartition(backfillId: string, asset: string, partition: string | null): Promise<BackfillPartitionRecord | undefined>;
  /** Applies status changes in one transaction; `attempts` grows by one on every move to `running`. */
  updateBackfillPartitions(
    backfillId: string,
    updates: readonly { asset: string; partition: string | null; status: BackfillPartitionStatus; runId?: string | null; error?: string | null }[],
    at: string,
  ): Promise<void>;
  countBackfillPartitions(backfillId: string): Promise<Record<BackfillPartitionStatus, number>>;

  // Leases: cross-process mutual exclusion (e.g. name `asset:rawg/games:2024-05-01`).
  /** Takes `name` for `owner` until `now + ttlMs` if free, expired or already held by `owner`; atomic. */
  tryAcquireLock(name: string, owner: string, ttlMs: number, now: string): Promise<boolean>;
  /** Extends every lease of `owner` to `now + ttlMs`. */
  renewLocks(owner: string, ttlMs: number, now: string): Promise<void>;
  releaseLock(name: string, owner: string): Promise<void>;
  listLocks(now: string): Promise<LockRecord[]>;

  // Request ledger (per ledger key — `<source>@<endpoint>` — per UTC day; months are sums of days)
  /**
   * Atomically charges `n` requests to `source` on the UTC day of `at` unless that would exceed a
   * limit of the day or of its calendar month; returns false (and charges nothing) otherwise.
   */
  chargeRequests(source: string, n: number, at: string, limits?: RequestLimits): Promise<boolean>;
  requestUsage(source: string, at: string): Promise<{ day: number; month: number }>;
  /** Every ledger key with requests in the calendar month of `at`, with its day and month usage, sorted by key. */
  listRequestUsage(at: string): Promise<{ source: string; day: number; month: number }[]>;

  // Accounts (gmp serve): users, sessions and API tokens by the hash of their secret, the audit log
  /**
   * Creates a user unless the name or the email (lower-cased) is taken, and says which. With
   * `firstUserRole`, the user gets that role instead when no user exists yet (decided atomically).
   */
  createUser(user: {
    name: string;
    role: Role;
    passwordHash: string;
    at: string;
    email?: string | null;
    displayName?: string | null;
    firstUserRole?: Role;
  }): Promise<'created' | 'name-taken' | 'email-taken'>;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** False when there is no such user. */
  updateUser(name: string, change: { role?: Role; passwordHash?: string }, at: string): Promise<boolean>;
  /** Changes a user's email (lower-cased) or display name; null clears one. */
  updateProfile(name: string, change: { email?: string | null; displayName?: string | null }, at: string): Promise<'updated' | 'missing' | 'email-taken'>;
  /** Removes a user with their sessions, tokens and favorites; false when there is no such user. */
  removeUser(name: string): Promise<boolean>;
  createSession(session: { tokenHash: string; userId: number; at: string; expiresAt: string }): Promise<void>;
  /** The user of an unexpired session. */
  sessionUser(tokenHash: string, now: string): Promise<UserRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a user but the one of `keepTokenHash` (if given); resolves to how many ended. */
  deleteUserSessions(userId: number, keepTokenHash?: string): Promise<number>;
  createApiToken(token: { tokenId: string; userId: number; name: string; tokenHash: string; at: string; expiresAt: string }): Promise<void>;
  /** The user of an unrevoked, unexpired token (and marks it used). */
  tokenUser(tokenHash: string, now: string): Promise<{ user: UserRecord; tokenId: string } | undefined>;
  /** Every token (or one user's), oldest first. */
  listApiTokens(filter?: { user?: string }): Promise<ApiTokenRecord[]>;
  /** False when there is no such token. */
  revokeApiToken(tokenId: string, at: string): Promise<boolean>;
  appendAudit(entry: { at: string; actor: string; action: string; target: string | null; detail: Record<string, unknown> | null }): Promise<void>;
  /** Newest first. */
  listAudit(options: { limit: number; beforeId?: number }): Promise<AuditRecord[]>;

  // Checks
  recordCheckResult(result: CheckResultRecord): Promise<void>;
  /** The latest result of every (check, partition) of `asset`. */
  latestCheckResults(asset: string): Promise<CheckResultRecord[]>;
  /** Every result of `asset`'s checks, newest first (ties by insertion), a page at a time after the last one seen. */
  listCheckResults(asset: string, options: { limit: number; before?: { at: string; id: number } }): Promise<(CheckResultRecord & { id: number })[]>;

  // Favorites (gmp serve): game ids per user name
  /** False when it was a favorite already. */
  addFavorite(userName: string, gameId: number, at: string): Promise<boolean>;
  /** False when it was not a favorite. */
  removeFavorite(userName: string, gameId: number): Promise<boolean>;
  /** The user's favorite game ids, the latest added first. */
  listFavorites(userName: string): Promise<{ gameId: number; at: string }[]>;

  // Event sources (gmp collect): write keys, by name
  /** Adds a source; false when the name is taken. */
  createEventSource(source: Omit<EventSourceRecord, 'revokedAt'>): Promise<boolean>;
  /** Every source, revoked ones too, by name. */
  listEventSources(): Promise<EventSourceRecord[]>;
  /** The active source holding this key hash, if any. */
  findEventSource(keyHash: string): Promise<EventSourceRecord | null>;
  /** Revokes a source's key; false when no active source has that name. */
  revokeEventSource(name: string, at: string): Promise<boolean>;

  // Settings (gmp serve): switches admins set, by key
  /** Every stored setting, by key. */
  listSettings(): Promise<SettingRecord[]>;
  /** Stores a setting (replacing its value, who and when). */
  putSetting(setting: SettingRecord): Promise<void>;
  /** Forgets a setting, so its default applies again; false when it was not set. */
  removeSetting(key: string): Promise<boolean>;

  // Daemons
  /** Inserts or updates the daemon's row (its heartbeat). */
  recordDaemon(daemon: DaemonRecord): Promise<void>;
  /** Daemons heard from since `since`, the latest heartbeat first. */
  listDaemons(since: string): Promise<DaemonRecord[]>;

  close(): Promise<void>;
}
