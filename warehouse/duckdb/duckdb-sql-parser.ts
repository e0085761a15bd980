import type { WarehouseDialect } from '../warehouse.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { createDuckDbWarehouse } from './duckdb-driver.js';

/**
 * Parses SQL into a JSON syntax tree without a warehouse (column lineage). One parser serves every
 * target: models are compiled for its `dialect` before they are parsed, whatever engine builds them.
 */
export interface SqlParser {
  readonly dialect: WarehouseDialect;
  /** The statement's syntax tree (DuckDB's `json_serialize_sql` shape; `error: true` when it does not parse). */
  parse(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The dialect models are compiled in for the SQL parser. */
export const sqlParserDialect: WarehouseDialect = duckDbDialect;

/** An in-memory DuckDB used as a parser only: no file, nothing written. */
export async function createSqlParser(): Promise<SqlParser> {
  const engine = await createDuckDbWarehouse({ path: ':memory:' });
  return {
    dialect: sqlParserDialect,
    async parse(sql) {
      const [row] = await engine.query(`SELECT json_serialize_sql(${duckDbDialect.quoteLiteral(sql)}) AS j`);
      return JSON.parse(String(row?.j)) as unknown;
    },
    close: () => engine.close(),
  };
}
