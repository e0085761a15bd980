-- schema raw
CREATE SCHEMA IF NOT EXISTS raw;

-- schema staging
CREATE SCHEMA IF NOT EXISTS staging;

-- schema marts
CREATE SCHEMA IF NOT EXISTS marts;

-- schema checks
CREATE SCHEMA IF NOT EXISTS checks;

-- file format of the lake files (gzipped JSON lines)
CREATE FILE FORMAT IF NOT EXISTS raw.gmp_jsonl TYPE = JSON COMPRESSION = GZIP;

-- keep the file format options current
ALTER FILE FORMAT raw.gmp_jsonl SET COMPRESSION = GZIP;

-- external stage over the lake prefix
CREATE STAGE IF NOT EXISTS raw.gmp_lake
  URL = 's3://gmp-lake/'
  STORAGE_INTEGRATION = corp_s3
  FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl');

-- keep the stage on GMP_LAKE_URL and the storage integration
ALTER STAGE raw.gmp_lake SET
  URL = 's3://gmp-lake/'
  STORAGE_INTEGRATION = corp_s3
  FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl');

-- the committed run of every partition (the raw views show only these)
CREATE TABLE IF NOT EXISTS raw.gmp_committed_partitions (
  relation VARCHAR NOT NULL,
  dt DATE NOT NULL,
  run_id VARCHAR NOT NULL,
  committed_at TIMESTAMP_TZ NOT NULL,
  generation NUMBER(38, 0)
)
COMMENT = 'gmp: the committed run of each partition, kept by gmp after each lake commit';

-- the manifest generation that orders commits (added to tables created before it existed)
ALTER TABLE raw.gmp_committed_partitions ADD COLUMN IF NOT EXISTS generation NUMBER(38, 0);

-- lake files of raw.rawg_games (registered by gmp after each commit)
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

-- raw.rawg_games: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_games COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_games__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_games' AND c.dt = f.dt AND c.run_id = f.run_id;
