{{ config(materialized='partitioned', partition_by='dt') }}
-- One typed row per game detail per daily partition of rawg/game_details (the only place RAWG names
-- developers and publishers), parsed once per partition.
with source as (
    select r.dt, r.run_id, r.value
    from {{ source('rawg', 'game_details') }} as r
    where {{ in_partition('r.dt') }}
),

parsed as (
    select
        {{ json_int('value', 'id') }}                   as game_id,
        {{ json_text('value', 'slug') }}                as slug,
        {{ json_text('value', 'name') }}                as name,
        {{ json_timestamp('value', 'updated') }}        as updated_at,
        {{ json_text('value', 'website') }}             as website,
        {{ json_text('value', 'description_raw') }}     as description,
        {{ json_timestamp('value', '_fetched_at') }}    as fetched_at,
        dt,
        run_id,
        value                                           as record
    from source
)

select game_id, slug, name, updated_at, website, description, fetched_at, dt, run_id, record
from (
    select *, row_number() over (partition by game_id, dt order by updated_at desc nulls last, fetched_at desc) as row_num
    from parsed
) as ranked
where row_num = 1
