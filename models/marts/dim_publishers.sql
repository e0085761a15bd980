{{ config(materialized='table') }}
-- Every publisher: from the publishers snapshot (page-capped), completed by publishers only seen on game details.
with snapshot as (
    select publisher_id, name, slug, games_count from {{ ref('stg_rawg__publishers') }}
),

seen_on_games as (
    select
        l.publisher_id,
        max(l.name)     as name,
        max(l.slug)     as slug
    from {{ ref('stg_rawg__game_details') }} as g
    join {{ ref('stg_rawg__game_publishers_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
    group by 1
)

select
    coalesce(s.publisher_id, o.publisher_id) as publisher_id,
    coalesce(s.name, o.name)           as name,
    coalesce(s.slug, o.slug)           as slug,
    s.games_count,
    s.publisher_id is not null            as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.publisher_id = o.publisher_id
where coalesce(s.publisher_id, o.publisher_id) is not null
order by 1
