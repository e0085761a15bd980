{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game per daily partition of rawg/games (the games changed on day dt). A table
-- rebuilt one partition at a time, narrow and typed: the raw JSON stays in the lake, and the nested
-- lists are their own tables (stg_rawg__game_<genres|platforms|stores|tags>_daily).
with records as (
    {{ rawg_day_records('games') }}
)

select
    {{ json_int('value', 'id') }}                        as game_id,
    {{ json_text('value', 'slug') }}                     as slug,
    {{ json_text('value', 'name') }}                     as name,
    {{ json_date('value', 'released') }}                 as released,
    coalesce({{ json_bool('value', 'tba') }}, false)     as tba,
    {{ json_timestamp('value', 'updated') }}             as updated_at,
    {{ json_float('value', 'rating') }}                  as rating,
    {{ json_int('value', 'rating_top') }}                as rating_top,
    {{ json_int('value', 'ratings_count') }}             as ratings_count,
    {{ json_int('value', 'reviews_text_count') }}        as reviews_text_count,
    {{ json_int('value', 'added') }}                     as added,
    {{ json_int('value', 'metacritic') }}                as metacritic,
    {{ json_int('value', 'playtime') }}                  as playtime,
    {{ json_int('value', 'suggestions_count') }}         as suggestions_count,
    {{ json_text('value', 'esrb_rating.slug') }}         as esrb_rating,
    {{ json_text('value', 'background_image') }}         as background_image,
    dt,
    run_id,
    current_timestamp                                    as loaded_at
from records
