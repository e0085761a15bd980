{{ config(materialized='partitioned', partition_by='dt') }}
-- One row per game per day it changed: its metrics as RAWG reported them that day.
select
    dt,
    game_id,
    rating,
    ratings_count,
    added,
    metacritic,
    playtime,
    updated_at
from {{ ref('stg_rawg__games_daily') }}
where {{ in_partition('dt') }}
