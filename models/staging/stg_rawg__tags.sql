{{ config(materialized='view') }}
-- Tags from the latest snapshot that mentions each tag (a page-capped list: the most used tags).
with mentions as (
    select
        {{ json_int('r.value', 'id') }}                 as tag_id,
        {{ json_text('r.value', 'name') }}              as name,
        {{ json_text('r.value', 'slug') }}              as slug,
        {{ json_text('r.value', 'language') }}          as language,
        {{ json_int('r.value', 'games_count') }}        as games_count,
        r.dt                                            as snapshot_dt,
        r.run_id
    from {{ source('rawg', 'tags') }} as r
)

select tag_id, name, slug, language, games_count, snapshot_dt
from (
    select *, row_number() over (partition by tag_id order by snapshot_dt desc, run_id desc) as row_num
    from mentions
) as ranked
where row_num = 1
