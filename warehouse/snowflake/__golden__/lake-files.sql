-- external table of one entity
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_games__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/games/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_games';

-- the view over committed runs
CREATE OR REPLACE VIEW raw.rawg_games COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_games__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_games' AND c.dt = f.dt AND c.run_id = f.run_id;

-- Snowflake's clock
SELECT DATE_PART(epoch_millisecond, CURRENT_TIMESTAMP()) AS now_ms;

-- registered files
SELECT file_name, DATE_PART(epoch_millisecond, registered_on) AS registered_ms FROM TABLE(information_schema.external_table_files(table_name => 'raw.rawg_games__lake'));

-- committed runs
SELECT TO_VARCHAR(dt, 'YYYY-MM-DD') AS dt, run_id, COALESCE(generation, 0) AS generation FROM raw.gmp_committed_partitions WHERE relation = 'raw.rawg_games';

-- add committed files
ALTER EXTERNAL TABLE raw.rawg_games__lake ADD FILES ('dt=2024-05-01/run=20240502T030000Z-3f9a1c/part-00000.jsonl.gz', 'dt=2024-05-01/run=20240502T030000Z-3f9a1c/part-00001.jsonl.gz');

-- remove superseded files
ALTER EXTERNAL TABLE raw.rawg_games__lake REMOVE FILES ('dt=2024-05-01/run=20240501T030000Z-aaaaaa/part-00000.jsonl.gz');

-- switch partitions to their committed runs
MERGE INTO raw.gmp_committed_partitions AS c USING (
  SELECT column1 AS relation, column2 AS dt, column3 AS run_id, column4 AS committed_at, column5 AS generation FROM VALUES
    ('raw.rawg_games', DATE '2024-05-01', '20240502T030000Z-3f9a1c', '2024-05-02T03:04:05.678Z'::TIMESTAMP_TZ, 3),
    ('raw.rawg_games', DATE '2024-05-02', '20240503T030000Z-bbbbbb', '2024-05-03T03:00:01.000Z'::TIMESTAMP_TZ, 0)
) AS m ON c.relation = m.relation AND c.dt = m.dt
WHEN MATCHED AND (m.generation > COALESCE(c.generation, 0) OR (m.generation = COALESCE(c.generation, 0) AND m.run_id > c.run_id))
  THEN UPDATE SET run_id = m.run_id, committed_at = m.committed_at, generation = m.generation
WHEN NOT MATCHED THEN INSERT (relation, dt, run_id, committed_at, generation) VALUES (m.relation, m.dt, m.run_id, m.committed_at, m.generation);

-- session setup after login
ALTER SESSION SET TIMEZONE = 'UTC' STATEMENT_TIMEOUT_IN_SECONDS = 3600 QUERY_TAG = '{"app":"gmp"}';

-- statement QUERY_TAG
-- {"app":"gmp","run_id":"20240502T030000Z-3f9a1c","asset":"marts/dim_games","partition":null}
select 1;
