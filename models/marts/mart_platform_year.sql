{{ config(materialized='table') }}
-- Per platform and release year: games released, their average rating (rated games only) and metacritic.
select
    p.platform_id,
    cast(extract(year from g.released) as bigint)                 as release_year,
    count(distinct g.game_id)                                     as releases,
    {{ round_float('avg(case when g.rating > 0 then g.rating end)', 3) }} as avg_rating,
    {{ round_float('avg(g.metacritic)', 2) }}                     as avg_metacritic
from {{ ref('dim_games') }} as g
join {{ ref('bridge_game_platforms') }} as p on p.game_id = g.game_id
where g.released is not null
group by 1, 2
order by 1, 2
