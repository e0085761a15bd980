-- gmp warehouse setup for snowflake://xy12345.eu-west-1/GAME_MARKET
-- Raw tables are never REFRESHed: gmp registers each committed file with ADD FILES and removes superseded ones after every commit.

USE DATABASE GAME_MARKET;

-- schema raw
CREATE SCHEMA IF NOT EXISTS raw;

-- schema staging
CREATE SCHEMA IF NOT EXISTS staging;

-- schema marts
CREATE SCHEMA IF NOT EXISTS marts;

-- schema checks
CREATE SCHEMA IF NOT EXISTS checks;

-- storage integration: Snowflake assumes the IAM role to read the lake prefix (needs ACCOUNTADMIN or CREATE INTEGRATION)
CREATE STORAGE INTEGRATION IF NOT EXISTS gmp_lake
  TYPE = EXTERNAL_STAGE
  STORAGE_PROVIDER = 'S3'
  ENABLED = TRUE
  STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::123456789012:role/gmp-snowflake'
  STORAGE_ALLOWED_LOCATIONS = ('s3://gmp-lake/prod/');

-- keep the allowed location in step with GMP_LAKE_URL
ALTER STORAGE INTEGRATION gmp_lake SET
  ENABLED = TRUE
  STORAGE_ALLOWED_LOCATIONS = ('s3://gmp-lake/prod/');

-- file format of the lake files (gzipped JSON lines)
CREATE FILE FORMAT IF NOT EXISTS raw.gmp_jsonl TYPE = JSON COMPRESSION = GZIP;

-- keep the file format options current
ALTER FILE FORMAT raw.gmp_jsonl SET COMPRESSION = GZIP;

-- external stage over the lake prefix
CREATE STAGE IF NOT EXISTS raw.gmp_lake
  URL = 's3://gmp-lake/prod/'
  STORAGE_INTEGRATION = gmp_lake
  FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl');

-- keep the stage on GMP_LAKE_URL and the storage integration
ALTER STAGE raw.gmp_lake SET
  URL = 's3://gmp-lake/prod/'
  STORAGE_INTEGRATION = gmp_lake
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

-- lake files of raw.rawg_genres (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_genres__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/genres/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_genres';

-- raw.rawg_genres: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_genres COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_genres__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_genres' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_platforms (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_platforms__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/platforms/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_platforms';

-- raw.rawg_platforms: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_platforms COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_platforms__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_platforms' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_parent_platforms (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_parent_platforms__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/parent_platforms/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_parent_platforms';

-- raw.rawg_parent_platforms: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_parent_platforms COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_parent_platforms__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_parent_platforms' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_stores (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_stores__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/stores/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_stores';

-- raw.rawg_stores: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_stores COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_stores__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_stores' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_tags (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_tags__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/tags/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_tags';

-- raw.rawg_tags: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_tags COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_tags__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_tags' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_creator_roles (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_creator_roles__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/creator_roles/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_creator_roles';

-- raw.rawg_creator_roles: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_creator_roles COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_creator_roles__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_creator_roles' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_developers (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_developers__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/developers/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_developers';

-- raw.rawg_developers: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_developers COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_developers__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_developers' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_publishers (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_publishers__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/publishers/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_publishers';

-- raw.rawg_publishers: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_publishers COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_publishers__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_publishers' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.rawg_game_details (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_game_details__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/rawg/game_details/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.rawg_game_details';

-- raw.rawg_game_details: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.rawg_game_details COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.rawg_game_details__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.rawg_game_details' AND c.dt = f.dt AND c.run_id = f.run_id;

-- lake files of raw.ml_game_predictions (registered by gmp after each commit)
CREATE EXTERNAL TABLE IF NOT EXISTS raw.ml_game_predictions__lake (
  dt DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/dt=', -1), '/', 1), 'YYYY-MM-DD')),
  run_id VARCHAR AS (SPLIT_PART(SPLIT_PART('/' || METADATA$FILENAME, '/run=', -1), '/', 1))
)
PARTITION BY (dt, run_id)
LOCATION = @raw.gmp_lake/raw/ml/game_predictions/
REFRESH_ON_CREATE = FALSE
AUTO_REFRESH = FALSE
PATTERN = '.*/part-[0-9]+[.]jsonl[.]gz'
FILE_FORMAT = (FORMAT_NAME = 'raw.gmp_jsonl')
COMMENT = 'gmp: files added and removed by gmp only; query raw.ml_game_predictions';

-- raw.ml_game_predictions: the committed records, with dt and run_id
CREATE OR REPLACE VIEW raw.ml_game_predictions COPY GRANTS AS
SELECT f.dt, f.run_id, f.value
FROM raw.ml_game_predictions__lake AS f
JOIN raw.gmp_committed_partitions AS c
  ON c.relation = 'raw.ml_game_predictions' AND c.dt = f.dt AND c.run_id = f.run_id;
