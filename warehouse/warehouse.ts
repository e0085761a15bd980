/** What an engine can do; callers branch on these, never on engine names (STYLE principle 3). */
export interface WarehouseCapabilities {
  /**
   * Reads lake files from local paths (DuckDB: `dialect.rawTableView`) rather than by lake key
   * through a cloud stage (Snowflake: `Warehouse.exposeCommittedFiles`).
   */
  readsLocalFiles: boolean;
  /**
   * DDL can run inside a transaction. Where it cannot (Snowflake commits around every DDL
   * statement), `execute({ transaction })` runs the leading DDL first and the rest in one transaction.
   */
  transactionalDdl: boolean;
}

export type Row = Record<string, unknown>;

/** A partition slice, inclusive on both ends: days `YYYY-MM-DD` or UTC hours `YYYY-MM-DDTHH`. */
export interface PartitionRange {
  start: string;
  end: string;
}

/** The pure half of an adapter: SQL text only, golden-testable, no IO. */
export interface WarehouseDialect {
  readonly name: string;
  quoteIdent(name: string): string;
  quoteLiteral(value: string): string;
  createSchema(schema: string): string;
  /**
   * A view over exactly `files` (committed lake files as local paths), with `dt`, `run_id` and the
   * record as `value`; present when the warehouse `readsLocalFiles`.
   */
  rawTableView?(relation: string, files: readonly string[], layout?: RawLayout): string;
  createView(relation: string, sql: string): string;
  createTable(relation: string, sql: string): string;
  /**
   * Statements building `sql` beside the live `relation` and swapping it in, to run in order in a
   * transaction (they may commit the build before the short swap: `COMMIT`, `BEGIN`); present where CREATE OR REPLACE would hold readers behind the whole build or
   * break views that depend on the relation (Postgres). Elsewhere createView/createTable are the swap.
   */
  replaceRelation?(kind: 'view' | 'table', relation: string, sql: string): string[];
  /** Statements replacing the rows of `range` in `relation` with `sql`'s rows, atomically. */
  replacePartition(relation: string, sql: string, column: string, range: PartitionRange): string[];
  /**
   * Statements merging `sql`'s rows into the existing `relation` on `key` (rows with a matching key
   * replaced, new keys inserted), to run in one transaction; absent where the engine cannot.
   */
  mergeOnKey?(relation: string, sql: string, key: readonly string[]): string[];
  /** Template helpers the models call (JSON access, flatten, casts); see `models/README.md`. */
  readonly macros: Readonly<Record<string, (...args: string[]) => string>>;
}

/** What a statement is run for; engines that keep query tags record it (Snowflake QUERY_TAG). */
export interface QueryTag {
  run_id?: string;
  asset?: string;
  partition?: string | null;
}

/** How an entity's lake files are laid out, beyond the daily default. */
export interface RawLayout {
  /**
   * Hourly partitions: `dt` is the hour key `YYYY-MM-DDTHH` (text), not a date. Files ending in
   * `.parquet` are compacted days (columns `hour`, `run_id`, `value` as JSON text), read beside
   * the hourly JSON files with the same columns.
   */
  hourly?: boolean;
  /** Top-level record fields also exposed as text columns (e.g. `event_id`), beside `value`. */
  columns?: readonly string[];
}

/** A dialect of an engine that reads local lake files (its `rawTableView` is always there). */
export type LocalFilesDialect = WarehouseDialect & Required<Pick<WarehouseDialect, 'rawTableView'>>;

/** A value bound to a `?` placeholder: never spliced into the SQL text. */
export type SqlParam = string | number | boolean | null;

export interface QueryOptions {
  signal?: AbortSignal;
  tag?: QueryTag;
  /** Values for the statement's `?` placeholders, in order (queries only). */
  params?: readonly SqlParam[];
}

/** A raw entity as an engine that reads the lake itself sees it. */
export interface LakeEntity {
  /** `raw.rawg_games`. */
  relation: string;
  /** The entity's folder in the lake, `raw/rawg/games/`; every file key is under it. */
  entityPath: string;
}

/** A raw entity as an engine that loads the lake sees it. */
export interface LoadedEntity {
  /** `raw.rawg_games`. */
  relation: string;
  layout?: RawLayout;
}

/** One committed lake file: its key, and the partition and run its manifest commits it in. */
export interface LakeFileRef {
  key: string;
  /** `YYYY-MM-DD`, or `YYYY-MM-DDTHH` for hourly entities (a compacted day's rows carry their own hours). */
  dt: string;
  runId: string;
  /** The manifest's size and SHA-256 of the file: the reader checks the file against them before it is loaded. */
  bytes?: number;
  sha256?: string;
}

/** One record of a lake file: its partition key, run and JSON text. */
export interface LakeRecord {
  dt: string;
  runId: string;
  json: string;
}

/** Reads the records of committed lake files (gzip JSON lines, compacted Parquet days). */
export type LakeRecordReader = (file: LakeFileRef, signal?: AbortSignal) => AsyncIterable<LakeRecord>;

export interface LoadReport {
  filesAdded: number;
  filesRemoved: number;
  rowsAdded: number;
}

/** One committed partition of a raw entity, from its manifest. */
export interface CommittedPartition {
  dt: string;
  runId: string;
  /** The manifest's `committed_at` (ISO 8601), recorded for people; commits are never ordered by it. */
  committedAt: string;
  /**
   * The manifest's `generation`: a commit of the same dt with a higher one supersedes it. Absent
   * (read as 0) for manifests written before generations existed.
   */
  generation?: number;
  /** The committed data files, as lake keys. */
  keys: readonly string[];
}

/** What `gmp warehouse setup` says about its target besides the statements; never a credential. */
export interface WarehouseSetupGuide {
  /** `duckdb://<path>` or `snowflake://<account>/<database>`. */
  target: string;
  /** Statements to run before the setup statements when pasted into a worksheet (the driver's session has them already). */
  preamble: string[];
  notes: string[];
}

/** A connected warehouse: dialect + driver + capabilities. */
export interface Warehouse {
  readonly dialect: WarehouseDialect;
  readonly capabilities: WarehouseCapabilities;
  /** Runs statements in order (in one transaction when `transaction` is set). */
  execute(statements: readonly string[], options?: QueryOptions & { transaction?: boolean }): Promise<void>;
  query(sql: string, options?: QueryOptions): Promise<Row[]>;
  /** The rows with the result's column names, known even when no row comes back; absent where the engine cannot say. */
  queryTable?(sql: string, options?: QueryOptions): Promise<{ columns: string[]; rows: Row[] }>;
  /**
   * Streams a result chunk by chunk (a few thousand rows each, values as the engine's own types,
   * each convertible with String()); the next chunk is read once `onChunk` settles, so memory stays
   * flat however many rows there are. Absent where the engine cannot stream.
   */
  eachChunk?(sql: string, options: QueryOptions, onChunk: (columns: readonly string[], rows: readonly (readonly unknown[])[]) => Promise<void>): Promise<void>;
  /**
   * The kind of each statement in `sql` as the engine's own parser sees it (`SELECT`, `COPY`,
   * `ATTACH`, …), without running any; absent where the engine cannot say.
   */
  statementTypes?(sql: string): Promise<string[]>;
  /** Fully qualified relations that exist, e.g. `marts.dim_games`. */
  listRelations(): Promise<{ schema: string; name: string; type: 'table' | 'view' }[]>;
  /**
   * Present when the warehouse does not read local files: makes `entity.relation` show exactly the
   * committed files `listCommitted` returns (never an uncommitted or superseded one), switching
   * each partition atomically. The warehouse calls `listCommitted` itself, once, so it can order
   * the lake listing against its own bookkeeping.
   */
  exposeCommittedFiles?(entity: LakeEntity, listCommitted: () => Promise<readonly CommittedPartition[]>, options?: QueryOptions): Promise<void>;
  /**
   * Present where the engine neither reads lake files nor mounts them (Postgres): loads the records
   * of exactly `files` into `entity.relation`, one transaction per call — files no longer listed
   * leave, new ones arrive, readers see the old set or the new one — and files already loaded are
   * not read again, so a re-run is idempotent.
   */
  loadCommittedFiles?(entity: LoadedEntity, files: readonly LakeFileRef[], records: LakeRecordReader, options?: QueryOptions): Promise<LoadReport>;
  close(): Promise<void>;
}

/**
 * A warehouse several gmp processes share. DuckDB takes turns on its file; an engine that serves
 * many clients (Snowflake) implements this trivially.
 */
export interface SharedWarehouse extends Warehouse {
  /** Where it is, for people and never with a credential: the DuckDB file, `snowflake://<account>`. */
  describe(): string;
  /** Holds the warehouse across several calls (e.g. a check, a build and a count). */
  use<T>(work: (warehouse: Warehouse) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * Publishes what readers see while a run holds the warehouse (DuckDB: the `marts` and `checks`
   * relations copied into a separate read-only file swapped in atomically, see
   * `publishForReaders`); undefined where readers are never locked out (nothing is published).
   */
  publishSnapshot(options?: PublishOptions): Promise<ReadersPublication | undefined>;
  /**
   * Present where the engine can read an S3 lake's object URLs itself (DuckDB with httpfs): whether
   * it can here, and why not. Elsewhere the files it reads are mirrored to local paths.
   */
  lakeUrlsReadable?(): Promise<{ available: boolean; reason?: string }>;
}

/** What a publication for readers holds and who made it when; the published file carries it. */
export interface PublicationRecord {
  /** The run that published it; null when published outside a run (a benchmark, a tool). */
  runId: string | null;
  /** ISO 8601. */
  publishedAt: string;
  /** The relations it holds, sorted: `marts.dim_games`, … */
  relations: string[];
}

/** A publication for readers as it stands on disk: its record, file and size. */
export interface PublishedFile extends PublicationRecord {
  path: string;
  bytes: number;
}

/** A publication just made, and how long it took. */
export interface ReadersPublication extends PublishedFile {
  ms: number;
}

export interface PublishOptions {
  /** Recorded in the publication (`gmp query`'s notice and `gmp status` name it). */
  runId?: string;
  /** Recorded as when it was published (ISO 8601; default now). */
  publishedAt?: string;
  signal?: AbortSignal;
}

/** Told when a reader reads the publication because a run holds the warehouse. */
export interface PublicationNotice {
  path: string;
  publishedAt: string;
  /** The run that published it; null when unknown (a publication of an older gmp, or made outside a run). */
  runId: string | null;
}

/** The process holding a warehouse file, as the engine's lock error names it. */
export interface WarehouseHolder {
  pid: number;
  /** The holder's executable, e.g. `/usr/bin/node`, when the engine could read it. */
  program?: string;
  user?: string;
}

/** One failed attempt to open a warehouse file another process holds (the wait goes on). */
export interface WarehouseWait {
  /** The warehouse file. */
  path: string;
  /** The read-only publication of the marts for readers and BI tools (it may not exist yet). */
  snapshotPath: string;
  /** Since the wait began (0 at the first busy attempt). */
  waitedMs: number;
  /** 1 for the first busy attempt. */
  attempt: number;
  /** Who holds the file; undefined when the engine does not say. */
  holder?: WarehouseHolder;
}

/** How a wait for a warehouse file ended: opened, given up after the wait limit, canceled, or another error. */
export interface WarehouseWaitEnd {
  path: string;
  waitedMs: number;
  attempts: number;
  outcome: 'acquired' | 'timed_out' | 'canceled' | 'failed';
}
