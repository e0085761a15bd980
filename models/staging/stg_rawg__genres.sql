{{ config(materialized='view') }}
-- Genres from the latest snapshot that mentions each genre.
with mentions as (
    select
        {{ json_int('r.value', 'id') }}                 as genre_id,
        {{ json_text('r.value', 'name') }}              as name,
        {{ json_text('r.value', 'slug') }}              as slug,
        {{ json_int('r.value', 'games_count') }}        as games_count,
        {{ json_text('r.value', 'image_background') }}  as image_background,
        r.dt                                            as snapshot_dt,
        r.run_id
    from {{ source('rawg', 'genres') }} as r
)

select genre_id, name, slug, games_count, image_background, snapshot_dt
from (
    select *, row_number() over (partition by genre_id order by snapshot_dt desc, run_id desc) as row_num
    from mentions
) as ranked
where row_num = 1
