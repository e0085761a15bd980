{{ config(materialized='table') }}
-- Game ↔ tag links of each game's current version (tags in every language RAWG sends).
select l.game_id, l.tag_id
from {{ ref('stg_rawg__games') }} as g
join {{ ref('stg_rawg__game_tags_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
order by 1, 2
