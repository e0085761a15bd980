{{ config(materialized='table') }}
-- Game ↔ publisher links from each game's latest detail (RAWG lists them only in /games/{id}).
select l.game_id, l.publisher_id
from {{ ref('stg_rawg__game_details') }} as g
join {{ ref('stg_rawg__game_publishers_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
order by 1, 2
