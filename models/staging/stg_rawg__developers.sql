{{ config(materialized='view') }}
-- Developers from the latest snapshot that mentions each developer (the list is page-capped).
with mentions as (
    select
        {{ json_int('r.value', 'id') }}                 as developer_id,
        {{ json_text('r.value', 'name') }}              as name,
        {{ json_text('r.value', 'slug') }}              as slug,
        {{ json_int('r.value', 'games_count') }}        as games_count,
        r.dt                                            as snapshot_dt,
        r.run_id
    from {{ source('rawg', 'developers') }} as r
)

select developer_id, name, slug, games_count, snapshot_dt
from (
    select *, row_number() over (partition by developer_id order by snapshot_dt desc, run_id desc) as row_num
    from mentions
) as ranked
where row_num = 1
