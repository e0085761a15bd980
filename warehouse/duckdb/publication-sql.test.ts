import { describe, expect, it } from 'vitest';
import { copyTableStatement, PUBLICATION_RECORD_QUERY, publicationRecordStatements, publishedRelationsQuery } from './publication-sql.js';

describe('the SQL of a publication for readers', () => {
  it('lists the tables and views of marts and checks in the warehouse opened, not an attached one', () => {
    expect(publishedRelationsQuery()).toBe(
      `SELECT schema_name AS "schema", table_name AS name, 'table' AS kind, NULL AS sql FROM duckdb_tables() ` +
        `WHERE database_name = current_database() AND schema_name IN ('marts', 'checks') ` +
        `UNION ALL SELECT schema_name, view_name, 'view', sql FROM duckdb_views() ` +
        `WHERE database_name = current_database() AND NOT internal AND schema_name IN ('marts', 'checks') ORDER BY 1, 2`,
    );
  });

  it('copies a table into the publication being built, quoting names that need it', () => {
    expect(copyTableStatement('marts', 'dim_games')).toBe('CREATE TABLE gmp_publication_build.marts.dim_games AS SELECT * FROM marts.dim_games');
    expect(copyTableStatement('marts', 'Top Games')).toBe('CREATE TABLE gmp_publication_build.marts."Top Games" AS SELECT * FROM marts."Top Games"');
  });

  it('records the run, the time and the relations, quoting literals', () => {
    expect(publicationRecordStatements({ runId: "run-'1", publishedAt: '2025-06-30T12:00:00.000Z', relations: ['marts.dim_games', 'marts.dim_tags'] })).toEqual([
      'CREATE TABLE gmp_publication_build.main.gmp_publication (run_id VARCHAR, published_at VARCHAR NOT NULL, relations VARCHAR[] NOT NULL)',
      `INSERT INTO gmp_publication_build.main.gmp_publication VALUES ('run-''1', '2025-06-30T12:00:00.000Z', ['marts.dim_games', 'marts.dim_tags']::VARCHAR[])`,
    ]);
    expect(publicationRecordStatements({ runId: null, publishedAt: 'x', relations: [] })[1]).toBe(
      `INSERT INTO gmp_publication_build.main.gmp_publication VALUES (NULL, 'x', []::VARCHAR[])`,
    );
    expect(PUBLICATION_RECORD_QUERY).toBe('SELECT run_id, published_at, relations FROM main.gmp_publication LIMIT 1');
  });
});
