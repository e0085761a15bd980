{{ config(materialized='table') }}
-- Every store: from the stores snapshot, completed by stores only seen on games.
with snapshot as (
    select store_id, name, slug, domain, games_count from {{ ref('stg_rawg__stores') }}
),

seen_on_games as (
    select
        l.store_id,
        max(l.name)     as name,
        max(l.slug)     as slug
    from {{ ref('stg_rawg__games') }} as g
    join {{ ref('stg_rawg__game_stores_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
    group by 1
)

select
    coalesce(s.store_id, o.store_id) as store_id,
    coalesce(s.name, o.name)         as name,
    coalesce(s.slug, o.slug)         as slug,
    s.domain,
    s.games_count,
    s.store_id is not null           as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.store_id = o.store_id
where coalesce(s.store_id, o.store_id) is not null
order by 1
