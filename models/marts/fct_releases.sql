{{ config(materialized='table') }}
-- Games released per day per platform and genre (games without a release date are left out).
select
    g.released                as release_date,
    p.platform_id,
    n.genre_id,
    count(distinct g.game_id) as games
from {{ ref('dim_games') }} as g
join {{ ref('bridge_game_platforms') }} as p on p.game_id = g.game_id
join {{ ref('bridge_game_genres') }} as n on n.game_id = g.game_id
where g.released is not null
group by 1, 2, 3
order by 1, 2, 3
