{{ config(materialized='table') }}
-- Per genre and release year: its share of that year's releases and of that year's ratings.
with per_genre as (
    select
        n.genre_id,
        cast(extract(year from g.released) as bigint) as release_year,
        count(distinct g.game_id)                     as releases,
        sum(coalesce(g.ratings_count, 0))             as ratings
    from {{ ref('dim_games') }} as g
    join {{ ref('bridge_game_genres') }} as n on n.game_id = g.game_id
    where g.released is not null
    group by 1, 2
),

per_year as (
    select
        cast(extract(year from released) as bigint) as release_year,
        count(*)                                    as releases,
        sum(coalesce(ratings_count, 0))             as ratings
    from {{ ref('dim_games') }}
    where released is not null
    group by 1
)

select
    pg.genre_id,
    pg.release_year,
    pg.releases,
    {{ round_float('cast(pg.releases as double precision) / py.releases', 4) }} as share_of_releases,
    {{ round_float('case when py.ratings > 0 then cast(pg.ratings as double precision) / py.ratings end', 4) }} as share_of_ratings
from per_genre as pg
join per_year as py on py.release_year = pg.release_year
order by 1, 2
