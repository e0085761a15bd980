{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game per daily partition of rawg/games (the games changed on day dt). A table
-- rebuilt one partition at a time, narrow and typed: the raw JSON stays in the lake and is parsed
-- once here. The nested lists stay typed lists (`genres`, `platforms`, `stores`, `tags`) that the
-- stg_rawg__game_<list>_daily tables turn into rows.
with records as (
    {{ rawg_day_records('games', '
        slug, name, released, tba, rating, rating_top, ratings_count, reviews_text_count, added,
        metacritic, playtime, suggestions_count, esrb_rating.slug, background_image,
        genres[].id, genres[].name, genres[].slug,
        platforms[].platform.id, platforms[].platform.name, platforms[].platform.slug, platforms[].released_at,
        stores[].store.id, stores[].store.name, stores[].store.slug,
        tags[].id, tags[].name, tags[].slug, tags[].language
    ') }}
)

select
    {{ record_int('rec', 'id') }}                        as game_id,
    {{ record_text('rec', 'slug') }}                     as slug,
    {{ record_text('rec', 'name') }}                     as name,
    {{ record_date('rec', 'released') }}                 as released,
    coalesce({{ record_bool('rec', 'tba') }}, false)     as tba,
    {{ record_timestamp('rec', 'updated') }}             as updated_at,
    {{ record_float('rec', 'rating') }}                  as rating,
    {{ record_int('rec', 'rating_top') }}                as rating_top,
    {{ record_int('rec', 'ratings_count') }}             as ratings_count,
    {{ record_int('rec', 'reviews_text_count') }}        as reviews_text_count,
    {{ record_int('rec', 'added') }}                     as added,
    {{ record_int('rec', 'metacritic') }}                as metacritic,
    {{ record_int('rec', 'playtime') }}                  as playtime,
    {{ record_int('rec', 'suggestions_count') }}         as suggestions_count,
    {{ record_text('rec', 'esrb_rating.slug') }}         as esrb_rating,
    {{ record_text('rec', 'background_image') }}         as background_image,
    {{ record_list('rec', 'genres') }}                   as genres,
    {{ record_list('rec', 'platforms') }}                as platforms,
    {{ record_list('rec', 'stores') }}                   as stores,
    {{ record_list('rec', 'tags') }}                     as tags,
    dt,
    run_id,
    current_timestamp                                    as loaded_at
from records
