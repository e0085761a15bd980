{{ config(materialized='table') }}
-- Every platform with its parent platform: from the platforms snapshot, completed by platforms only
-- seen on games.
with snapshot as (
    select platform_id, name, slug, year_start, year_end, games_count from {{ ref('stg_rawg__platforms') }}
),

seen_on_games as (
    select
        l.platform_id,
        max(l.name)     as name,
        max(l.slug)     as slug
    from {{ ref('stg_rawg__games') }} as g
    join {{ ref('stg_rawg__game_platforms_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
    group by 1
)

select
    coalesce(s.platform_id, o.platform_id) as platform_id,
    coalesce(s.name, o.name)               as name,
    coalesce(s.slug, o.slug)               as slug,
    pp.parent_platform_id,
    pp.parent_platform_name,
    pp.parent_platform_slug,
    s.year_start,
    s.year_end,
    s.games_count,
    s.platform_id is not null              as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.platform_id = o.platform_id
left join {{ ref('stg_rawg__parent_platforms') }} as pp on pp.platform_id = coalesce(s.platform_id, o.platform_id)
where coalesce(s.platform_id, o.platform_id) is not null
order by 1
