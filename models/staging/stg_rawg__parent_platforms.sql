{{ config(materialized='view') }}
-- Platform → parent platform (PC, PlayStation, Xbox, …) from the latest parent-platforms snapshot.
with latest as (
    select r.value
    from {{ source('rawg', 'parent_platforms') }} as r
    qualify rank() over (order by r.dt desc, r.run_id desc) = 1
)

select
    {{ json_int('x.value', 'id') }}         as platform_id,
    {{ json_int('p.value', 'id') }}         as parent_platform_id,
    {{ json_text('p.value', 'name') }}      as parent_platform_name,
    {{ json_text('p.value', 'slug') }}      as parent_platform_slug
from latest as p
{{ flatten('p.value', 'platforms', 'x') }}
qualify row_number() over (partition by platform_id order by parent_platform_id) = 1
