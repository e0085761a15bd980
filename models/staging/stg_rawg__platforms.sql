{{ config(materialized='view') }}
-- Platforms from the latest snapshot that mentions each platform.
with mentions as (
    select
        {{ json_int('r.value', 'id') }}                 as platform_id,
        {{ json_text('r.value', 'name') }}              as name,
        {{ json_text('r.value', 'slug') }}              as slug,
        {{ json_int('r.value', 'year_start') }}         as year_start,
        {{ json_int('r.value', 'year_end') }}           as year_end,
        {{ json_int('r.value', 'games_count') }}        as games_count,
        r.dt                                            as snapshot_dt,
        r.run_id
    from {{ source('rawg', 'platforms') }} as r
)

select platform_id, name, slug, year_start, year_end, games_count, snapshot_dt
from (
    select *, row_number() over (partition by platform_id order by snapshot_dt desc, run_id desc) as row_num
    from mentions
) as ranked
where row_num = 1
