{{ config(materialized='table') }}
-- Every genre: from the genres snapshot, completed by genres only seen on games.
with snapshot as (
    select genre_id, name, slug, games_count from {{ ref('stg_rawg__genres') }}
),

seen_on_games as (
    select
        l.genre_id,
        max(l.name)     as name,
        max(l.slug)     as slug
    from {{ ref('stg_rawg__games') }} as g
    join {{ ref('stg_rawg__game_genres_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
    group by 1
)

select
    coalesce(s.genre_id, o.genre_id) as genre_id,
    coalesce(s.name, o.name)         as name,
    coalesce(s.slug, o.slug)         as slug,
    s.games_count,
    s.genre_id is not null           as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.genre_id = o.genre_id
where coalesce(s.genre_id, o.genre_id) is not null
order by 1
