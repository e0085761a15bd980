{{ config(materialized='table') }}
-- Per publisher: how many games, when released, how well rated, and in which genres, platforms and
-- with which developers (from the games' latest details).
with games as (
    select p.publisher_id, g.game_id, g.released, g.rating, g.ratings_count, g.metacritic, g.playtime
    from {{ ref('bridge_game_publishers') }} as p
    join {{ ref('dim_games') }} as g on g.game_id = p.game_id
),

genre_counts as (
    select p.publisher_id, gg.genre_id, count(*) as games
    from {{ ref('bridge_game_publishers') }} as p
    join {{ ref('bridge_game_genres') }} as gg on gg.game_id = p.game_id
    group by 1, 2
),

top_genre as (
    select publisher_id, genre_id, name
    from (
        select
            c.publisher_id,
            c.genre_id,
            d.name,
            row_number() over (partition by c.publisher_id order by c.games desc, c.genre_id) as row_num
        from genre_counts as c
        left join {{ ref('dim_genres') }} as d on d.genre_id = c.genre_id
    ) as ranked
    where row_num = 1
),

breadth as (
    select
        p.publisher_id,
        count(distinct gp.platform_id)  as platforms,
        count(distinct gd.developer_id) as developers,
        count(distinct gg.genre_id)     as genres
    from {{ ref('bridge_game_publishers') }} as p
    left join {{ ref('bridge_game_platforms') }} as gp on gp.game_id = p.game_id
    left join {{ ref('bridge_game_developers') }} as gd on gd.game_id = p.game_id
    left join {{ ref('bridge_game_genres') }} as gg on gg.game_id = p.game_id
    group by 1
),

totals as (
    select
        publisher_id,
        count(*)                                                          as games,
        count(released)                                                   as released_games,
        min(released)                                                     as first_release,
        max(released)                                                     as latest_release,
        {{ round_float('avg(case when ratings_count > 0 then rating end)', 3) }} as avg_rating,
        sum(coalesce(ratings_count, 0))                                   as ratings_count,
        {{ round_float('avg(metacritic)', 2) }}                           as avg_metacritic,
        {{ round_float('avg(case when playtime > 0 then playtime end)', 2) }} as avg_playtime_hours
    from games
    group by 1
)

select
    t.publisher_id,
    d.name                as publisher_name,
    t.games,
    t.released_games,
    t.first_release,
    t.latest_release,
    t.avg_rating,
    t.ratings_count,
    t.avg_metacritic,
    t.avg_playtime_hours,
    b.genres,
    b.platforms,
    b.developers,
    tg.genre_id           as top_genre_id,
    tg.name               as top_genre
from totals as t
left join {{ ref('dim_publishers') }} as d on d.publisher_id = t.publisher_id
left join breadth as b on b.publisher_id = t.publisher_id
left join top_genre as tg on tg.publisher_id = t.publisher_id
order by t.publisher_id
