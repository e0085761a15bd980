{{ config(materialized='view') }}
-- Platforms from the latest snapshot that mentions each platform.
select
    {{ json_int('r.value', 'id') }}                 as platform_id,
    {{ json_text('r.value', 'name') }}              as name,
    {{ json_text('r.value', 'slug') }}              as slug,
    {{ json_int('r.value', 'year_start') }}         as year_start,
    {{ json_int('r.value', 'year_end') }}           as year_end,
    {{ json_int('r.value', 'games_count') }}        as games_count,
    r.dt                                            as snapshot_dt
from {{ source('rawg', 'platforms') }} as r
qualify row_number() over (partition by platform_id order by r.dt desc, r.run_id desc) = 1
