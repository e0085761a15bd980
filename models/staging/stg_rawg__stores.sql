{{ config(materialized='view') }}
-- Stores from the latest snapshot that mentions each store.
select
    {{ json_int('r.value', 'id') }}                 as store_id,
    {{ json_text('r.value', 'name') }}              as name,
    {{ json_text('r.value', 'slug') }}              as slug,
    {{ json_text('r.value', 'domain') }}            as domain,
    {{ json_int('r.value', 'games_count') }}        as games_count,
    r.dt                                            as snapshot_dt
from {{ source('rawg', 'stores') }} as r
qualify row_number() over (partition by store_id order by r.dt desc, r.run_id desc) = 1
