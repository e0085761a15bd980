import type { PublicationRecord } from '../warehouse.js';
import { duckDbDialect } from './duckdb-dialect.js';

/** The schemas readers get while a run holds the warehouse: tables copied, views re-created. */
export const PUBLISHED_SCHEMAS = ['marts', 'checks'] as const;
/** The pipeline's own schemas, readable only in the warehouse file itself. */
export const UNPUBLISHED_SCHEMAS = ['raw', 'staging'] as const;
/** The table in the publication's `main` schema that says what it holds, when and by which run. */
export const PUBLICATION_TABLE = 'gmp_publication';
/** The publication's name while this connection builds it (ATTACHed beside the warehouse). */
export const PUBLICATION_ALIAS = 'gmp_publication_build';

const q = (name: string): string => duckDbDialect.quoteIdent(name);
const lit = (value: string): string => duckDbDialect.quoteLiteral(value);

/** Lists the tables and views of the published schemas in the warehouse this connection opened. */
export function publishedRelationsQuery(): string {
  const schemas = PUBLISHED_SCHEMAS.map(lit).join(', ');
  return (
    `SELECT schema_name AS "schema", table_name AS name, 'table' AS kind, NULL AS sql FROM duckdb_tables() ` +
    `WHERE database_name = current_database() AND schema_name IN (${schemas}) ` +
    `UNION ALL SELECT schema_name, view_name, 'view', sql FROM duckdb_views() ` +
    `WHERE database_name = current_database() AND NOT internal AND schema_name IN (${schemas}) ORDER BY 1, 2`
  );
}

/** Copies `schema.name` of the warehouse into the publication being built, columns and types as they are. */
export function copyTableStatement(schema: string, name: string): string {
  return `CREATE TABLE ${q(PUBLICATION_ALIAS)}.${q(schema)}.${q(name)} AS SELECT * FROM ${q(schema)}.${q(name)}`;
}

/** The record table, written last: what the publication holds, when, by which run. */
export function publicationRecordStatements(record: PublicationRecord): string[] {
  const table = `${q(PUBLICATION_ALIAS)}.main.${q(PUBLICATION_TABLE)}`;
  const relations = `[${record.relations.map(lit).join(', ')}]::VARCHAR[]`;
  return [
    `CREATE TABLE ${table} (run_id VARCHAR, published_at VARCHAR NOT NULL, relations VARCHAR[] NOT NULL)`,
    `INSERT INTO ${table} VALUES (${record.runId === null ? 'NULL' : lit(record.runId)}, ${lit(record.publishedAt)}, ${relations})`,
  ];
}

/** Reads the record back in an opened publication. */
export const PUBLICATION_RECORD_QUERY = `SELECT run_id, published_at, relations FROM main.${q(PUBLICATION_TABLE)} LIMIT 1`;
