{{ config(materialized='table') }}
-- Every tag: from the tags snapshot, completed by tags only seen on games; `language` is eng or rus.
with snapshot as (
    select tag_id, name, slug, language, games_count from {{ ref('stg_rawg__tags') }}
),

seen_on_games as (
    select
        l.tag_id,
        max(l.name)     as name,
        max(l.slug)     as slug,
        max(l.language) as language
    from {{ ref('stg_rawg__games') }} as g
    join {{ ref('stg_rawg__game_tags_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
    group by 1
)

select
    coalesce(s.tag_id, o.tag_id)         as tag_id,
    coalesce(s.name, o.name)             as name,
    coalesce(s.slug, o.slug)             as slug,
    coalesce(s.language, o.language)     as language,
    s.games_count,
    s.tag_id is not null                 as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.tag_id = o.tag_id
where coalesce(s.tag_id, o.tag_id) is not null
order by 1
