{{ config(materialized='table') }}
-- Game ↔ platform links of each game's current version (`released_at` only in the full shape).
select l.game_id, l.platform_id, l.released_at
from {{ ref('stg_rawg__games') }} as g
join {{ ref('stg_rawg__game_platforms_daily') }} as l on l.game_id = g.game_id and l.dt = g.dt
order by 1, 2
