{{ config(materialized='table') }}
-- Game ↔ developer links from each game's latest detail (RAWG lists them only in /games/{id}).
select l.game_id, l.developer_id
from {{ ref('stg_rawg__game_details') }} as g
join {{ ref('stg_rawg__game_developers_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
order by 1, 2
