import type { WarehouseDialect } from '../warehouse.js';
import { slicePredicate } from '../slice-predicate.js';
import { quoteIdent, quoteLiteral, quoteRelation } from './snowflake-identifiers.js';
import { snowflakeMacros } from './snowflake-macros.js';

/**
 * Snowflake SQL generation for the models. Pure: every function returns text. The lake-facing
 * statements (stage, external tables, file registration) are in snowflake-lake-sql.ts.
 */
export const snowflakeDialect: WarehouseDialect = {
  name: 'snowflake',
  quoteIdent,
  quoteLiteral,
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  // COPY GRANTS keeps what BI roles were granted on the object across rebuilds.
  createView: (relation, sql) => `CREATE OR REPLACE VIEW ${quoteRelation(relation)} COPY GRANTS AS\n${sql}`,
  // CREATE OR REPLACE is atomic in Snowflake (the old table is dropped and the new one created in
  // one transaction), so readers see the old table until the new one is complete, and a failing
  // build leaves the old one in place: the temp-table-and-SWAP dance would add nothing.
  createTable: (relation, sql) => `CREATE OR REPLACE TABLE ${quoteRelation(relation)} COPY GRANTS AS\n${sql}`,
  replacePartition(relation, sql, column, range) {
    const rel = quoteRelation(relation);
    const where = slicePredicate(quoteIdent(column), range, quoteLiteral);
    // The CREATE is DDL (Snowflake commits around it): it runs first, then DELETE + INSERT as one
    // transaction. INSERT is positional: the table was created from this same SELECT.
    return [
      `CREATE TABLE IF NOT EXISTS ${rel} AS SELECT * FROM (\n${sql}\n) AS model WHERE false`,
      `DELETE FROM ${rel} WHERE ${where}`,
      `INSERT INTO ${rel} SELECT * FROM (\n${sql}\n) AS model WHERE ${where}`,
    ];
  },
  mergeOnKey(relation, sql, key) {
    const match = key.map((k) => `merge_target.${quoteIdent(k)} = merge_source.${quoteIdent(k)}`).join(' AND ');
    // ALL BY NAME replaces every column of a matched row and inserts new keys, like DuckDB's
    // delete + insert, without listing columns the dialect cannot know.
    return [
      `MERGE INTO ${quoteRelation(relation)} AS merge_target USING (\n${sql}\n) AS merge_source ON ${match}\n` +
        `WHEN MATCHED THEN UPDATE ALL BY NAME\nWHEN NOT MATCHED THEN INSERT ALL BY NAME`,
    ];
  },
  macros: snowflakeMacros,
};
