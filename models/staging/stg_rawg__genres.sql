{{ config(materialized='view') }}
-- Genres from the latest snapshot that mentions each genre.
select
    {{ json_int('r.value', 'id') }}                 as genre_id,
    {{ json_text('r.value', 'name') }}              as name,
    {{ json_text('r.value', 'slug') }}              as slug,
    {{ json_int('r.value', 'games_count') }}        as games_count,
    {{ json_text('r.value', 'image_background') }}  as image_background,
    r.dt                                            as snapshot_dt
from {{ source('rawg', 'genres') }} as r
qualify row_number() over (partition by genre_id order by r.dt desc, r.run_id desc) = 1
