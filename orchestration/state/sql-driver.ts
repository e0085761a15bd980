/** A statement parameter; JSON travels as text, booleans as 0/1 — both engines agree on these. */
export type SqlValue = string | number | null;

/**
 * The narrow seam the state store is written against, so its SQL exists once. Statements use `?`
 * placeholders (the Postgres driver numbers them). A driver never reads the clock.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement and resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs `fn` in one transaction on one connection; a nested call joins the outer transaction. */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
