{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game detail per daily partition of rawg/game_details, each record parsed once.
-- The developers and publishers (RAWG names them only in /games/{id}) stay typed lists that
-- stg_rawg__game_<developers|publishers>_daily turn into rows.
with records as (
    {{ rawg_day_records('game_details', '
        slug, name, website, description,
        developers[].id, developers[].name, developers[].slug,
        publishers[].id, publishers[].name, publishers[].slug
    ') }}
)

select
    {{ record_int('rec', 'id') }}                   as game_id,
    {{ record_text('rec', 'slug') }}                as slug,
    {{ record_text('rec', 'name') }}                as name,
    {{ record_timestamp('rec', 'updated') }}        as updated_at,
    {{ record_text('rec', 'website') }}             as website,
    {{ record_text('rec', 'description') }}         as description,
    {{ record_timestamp('rec', '_fetched_at') }}    as fetched_at,
    {{ record_list('rec', 'developers') }}          as developers,
    {{ record_list('rec', 'publishers') }}          as publishers,
    dt,
    run_id,
    current_timestamp                               as loaded_at
from records
