{{ config(materialized='view') }}
-- Tags from the latest snapshot that mentions each tag (a page-capped list: the most used tags).
select
    {{ json_int('r.value', 'id') }}                 as tag_id,
    {{ json_text('r.value', 'name') }}              as name,
    {{ json_text('r.value', 'slug') }}              as slug,
    {{ json_text('r.value', 'language') }}          as language,
    {{ json_int('r.value', 'games_count') }}        as games_count,
    r.dt                                            as snapshot_dt
from {{ source('rawg', 'tags') }} as r
qualify row_number() over (partition by tag_id order by r.dt desc, r.run_id desc) = 1
