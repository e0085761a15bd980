{{ config(materialized='table') }}
-- Every developer: from the developers snapshot (page-capped), completed by developers only seen on game details.
with snapshot as (
    select developer_id, name, slug, games_count from {{ ref('stg_rawg__developers') }}
),

seen_on_games as (
    select
        {{ json_int('x.value', 'id') }}         as developer_id,
        max({{ json_text('x.value', 'name') }}) as name,
        max({{ json_text('x.value', 'slug') }}) as slug
    from {{ ref('stg_rawg__game_details') }} as g
    {{ flatten('g.record', 'developers', 'x') }}
    group by 1
)

select
    coalesce(s.developer_id, o.developer_id) as developer_id,
    coalesce(s.name, o.name)           as name,
    coalesce(s.slug, o.slug)           as slug,
    s.games_count,
    s.developer_id is not null            as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.developer_id = o.developer_id
where coalesce(s.developer_id, o.developer_id) is not null
order by 1
