/** What an engine can do; callers branch on these, never on engine names (STYLE principle 3). */
export interface WarehouseCapabilities {
  /** Reads lake files from local paths (DuckDB) rather than a cloud stage (Snowflake). */
  readsLocalFiles: boolean;
  /** Several statements can run in one transaction (delete + insert of a partition slice). */
  transactionalDdl: boolean;
}

export type Row = Record<string, unknown>;

/** A partition slice, inclusive on both ends. */
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
  /** A view over exactly `files` (committed lake files), with `dt`, `run_id` and the record as `value`. */
  rawTableView(relation: string, files: readonly string[]): string;
  createView(relation: string, sql: string): string;
  createTable(relation: string, sql: string): string;
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

export interface QueryOptions {
  signal?: AbortSignal;
}

/** A connected warehouse: dialect + driver + capabilities. */
export interface Warehouse {
  readonly dialect: WarehouseDialect;
  readonly capabilities: WarehouseCapabilities;
  /** Runs statements in order (in one transaction when `transaction` is set). */
  execute(statements: readonly string[], options?: QueryOptions & { transaction?: boolean }): Promise<void>;
  query(sql: string, options?: QueryOptions): Promise<Row[]>;
  /** Fully qualified relations that exist, e.g. `marts.dim_games`. */
  listRelations(): Promise<{ schema: string; name: string; type: 'table' | 'view' }[]>;
  close(): Promise<void>;
}
