{{ config(materialized='table') }}
-- Every developer: from the developers snapshot (page-capped), completed by developers only seen on game details.
with snapshot as (
    select developer_id, name, slug, games_count from {{ ref('stg_rawg__developers') }}
),

seen_on_games as (
    select
        l.developer_id,
        max(l.name)     as name,
        max(l.slug)     as slug
    from {{ ref('stg_rawg__game_details') }} as g
    join {{ ref('stg_rawg__game_developers_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
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
