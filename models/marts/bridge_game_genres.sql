{{ config(materialized='table') }}
-- Game ↔ genre links of each game's current version.
select l.game_id, l.genre_id
from {{ ref('stg_rawg__games') }} as g
join {{ ref('stg_rawg__game_genres_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
order by 1, 2
