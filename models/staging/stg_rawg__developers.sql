{{ config(materialized='view') }}
-- Developers from the latest snapshot that mentions each developer (the list is page-capped).
select
    {{ json_int('r.value', 'id') }}                 as developer_id,
    {{ json_text('r.value', 'name') }}              as name,
    {{ json_text('r.value', 'slug') }}              as slug,
    {{ json_int('r.value', 'games_count') }}        as games_count,
    r.dt                                            as snapshot_dt
from {{ source('rawg', 'developers') }} as r
qualify row_number() over (partition by developer_id order by r.dt desc, r.run_id desc) = 1
