{{ config(materialized='view') }}
-- Stores from the latest snapshot that mentions each store.
with mentions as (
    select
        {{ json_int('r.value', 'id') }}                 as store_id,
        {{ json_text('r.value', 'name') }}              as name,
        {{ json_text('r.value', 'slug') }}              as slug,
        {{ json_text('r.value', 'domain') }}            as domain,
        {{ json_int('r.value', 'games_count') }}        as games_count,
        r.dt                                            as snapshot_dt,
        r.run_id
    from {{ source('rawg', 'stores') }} as r
)

select store_id, name, slug, domain, games_count, snapshot_dt
from (
    select *, row_number() over (partition by store_id order by snapshot_dt desc, run_id desc) as row_num
    from mentions
) as ranked
where row_num = 1
