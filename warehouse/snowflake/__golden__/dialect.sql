-- createSchema
CREATE SCHEMA IF NOT EXISTS marts;

-- createView
CREATE OR REPLACE VIEW staging.stg_rawg__games COPY GRANTS AS
select * from raw.rawg_games;

-- createTable (atomic CREATE OR REPLACE, grants kept)
CREATE OR REPLACE TABLE marts.dim_games COPY GRANTS AS
select 1 as game_id;

-- replacePartition one day
CREATE TABLE IF NOT EXISTS marts.fct_game_daily_snapshot AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE false;
DELETE FROM marts.fct_game_daily_snapshot WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01';
INSERT INTO marts.fct_game_daily_snapshot SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01';

-- replacePartition range
CREATE TABLE IF NOT EXISTS marts.fct_game_daily_snapshot AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE false;
DELETE FROM marts.fct_game_daily_snapshot WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-07';
INSERT INTO marts.fct_game_daily_snapshot SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-07';

-- mergeOnKey one key
MERGE INTO marts.game_scores AS merge_target USING (
select game_id, score from staging.scores
) AS merge_source ON merge_target.game_id = merge_source.game_id
WHEN MATCHED THEN UPDATE ALL BY NAME
WHEN NOT MATCHED THEN INSERT ALL BY NAME;

-- mergeOnKey composite key
MERGE INTO marts.daily_scores AS merge_target USING (
select dt, game_id, score from staging.scores
) AS merge_source ON merge_target.dt = merge_source.dt AND merge_target.game_id = merge_source.game_id
WHEN MATCHED THEN UPDATE ALL BY NAME
WHEN NOT MATCHED THEN INSERT ALL BY NAME;
