{{ config(materialized='view') }}
-- Platform → parent platform (PC, PlayStation, Xbox, …) from the latest parent-platforms snapshot.
with latest as (
    select value
    from (
        select r.value, rank() over (order by r.dt desc, r.run_id desc) as snapshot_rank
        from {{ source('rawg', 'parent_platforms') }} as r
    ) as snapshots
    where snapshot_rank = 1
),

links as (
    select
        {{ json_int('x.value', 'id') }}         as platform_id,
        {{ json_int('p.value', 'id') }}         as parent_platform_id,
        {{ json_text('p.value', 'name') }}      as parent_platform_name,
        {{ json_text('p.value', 'slug') }}      as parent_platform_slug
    from latest as p
    {{ flatten('p.value', 'platforms', 'x') }}
)

select platform_id, parent_platform_id, parent_platform_name, parent_platform_slug
from (
    select *, row_number() over (partition by platform_id order by parent_platform_id) as row_num
    from links
) as ranked
where row_num = 1
