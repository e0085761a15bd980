{{ config(materialized='table') }}
-- Game ↔ publisher links from each game's latest detail (RAWG lists them only in /games/{id}).
select distinct
    g.game_id,
    {{ json_int('x.value', 'id') }} as publisher_id
from {{ ref('stg_rawg__game_details') }} as g
{{ flatten('g.record', 'publishers', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
order by 1, 2
