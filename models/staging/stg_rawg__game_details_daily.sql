{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game detail per daily partition of rawg/game_details (the only place RAWG names
-- developers and publishers: stg_rawg__game_<developers|publishers>_daily hold those lists).
with records as (
    {{ rawg_day_records('game_details') }}
)

select
    {{ json_int('value', 'id') }}                   as game_id,
    {{ json_text('value', 'slug') }}                as slug,
    {{ json_text('value', 'name') }}                as name,
    {{ json_timestamp('value', 'updated') }}        as updated_at,
    {{ json_text('value', 'website') }}             as website,
    {{ json_text('value', 'description') }}         as description,
    {{ json_timestamp('value', '_fetched_at') }}    as fetched_at,
    dt,
    run_id,
    current_timestamp                               as loaded_at
from records
