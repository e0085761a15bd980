{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game per daily partition of rawg/games (the games changed on day dt). A table
-- rebuilt one partition at a time: each day's JSON is parsed once, not by every model downstream.
with source as (
    select r.dt, r.run_id, r.value
    from {{ source('rawg', 'games') }} as r
    where {{ in_partition('r.dt') }}
),

parsed as (
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
        value                                                as record
    from source
)

select
    game_id, slug, name, released, tba, updated_at, rating, rating_top, ratings_count, reviews_text_count,
    added, metacritic, playtime, suggestions_count, esrb_rating, background_image, dt, run_id, record
from (
    select *, row_number() over (partition by game_id, dt order by updated_at desc nulls last) as row_num
    from parsed
) as ranked
where row_num = 1
